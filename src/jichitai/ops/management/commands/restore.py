from pathlib import Path

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.core.statistics import refresh_planner_statistics
from jichitai.ops.services import BackupError, restore


class Command(DomainCommand):
    help = ("バックアップを空のデータベースに復元します（すべての行。表ごとの件数を照合）。データのあるデータベースへは "
            "--replace なしでは復元せず、別の版のスキーマで作ったバックアップも受け付けません。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="バックアップのファイル（.zip）")
        parser.add_argument("--replace", action="store_true", help="復元の前に既存のデータを削除する")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise InvalidInput(f"ファイル {path} がありません。")
        try:
            result = restore(path, replace=options["replace"])
            refresh_planner_statistics(everything=True)
        except BackupError as exc:
            raise InvalidInput(str(exc)) from exc
        # The counts per table (model labels) are in --format json; people read the totals.
        tables = sum(1 for count in result["expected"].values() if count)
        text = (f"{path} を復元しました（{result['created_at']} 作成、{tables} 表、"
                f"{sum(result['expected'].values())} 行。表ごとの件数はバックアップと一致しています）。")
        self.emit(options, {"ok": True, "file": str(path), **result}, text)

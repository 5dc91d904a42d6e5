from pathlib import Path

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.ops.services import backup


class Command(DomainCommand):
    help = "すべての行を整合した状態でバックアップします（SQLite にも PostgreSQL にも復元できる ZIP ファイル）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="バックアップのファイル（.zip）")

    def handle(self, *args, **options):
        path = Path(options["output"])
        if not path.parent.is_dir():
            raise InvalidInput(f"フォルダ {path.parent} がありません。")
        manifest = backup(path)
        total = sum(manifest["counts"].values())
        self.emit(options, {"ok": True, "file": str(path), "counts": manifest["counts"],
                            "migrations": manifest["migrations"]},
                  f"{path} にバックアップしました（{len(manifest['counts'])} 表、{total} 行）。")

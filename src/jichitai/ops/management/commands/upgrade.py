"""`jichitai upgrade`: after installing a new version — back up, migrate, verify the audit log (docs/deploy.md).

1. A backup (ops.services.backup, the same portable ZIP as `jichitai backup`) of the database as it is. When the
   new version brings migrations, the database's tables are still those of the old one: the rows are read through
   the models as the applied migrations left them (the migration state), so the file is exactly what the old
   version's `jichitai backup` would have written and restores with it (`jichitai restore FILE --replace`).
2. `migrate`.
3. The audit log's hash chains (audit.services.verify, as `jichitai audit verify`).
Exit 0 when all went well, 1 when the chain is broken (the database is migrated: the message names the first
broken entry), 2 when nothing was done (no folder for the backup, the database does not answer).
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from jichitai.audit.labels import action_label
from jichitai.audit.services import record_operation, verify
from jichitai.core.commands import EXIT_PROBLEMS, DomainCommand, InvalidInput
from jichitai.core.mynumber import mask_my_numbers
from jichitai.ops.schema import pending_migrations_of_a_reachable_database
from jichitai.ops.services import backup

REASONS = {"changed": "改変", "removed": "削除", "inserted": "挿入"}


def applied_state_models():
    """The models as the migrations applied to the database define them (what the tables hold before migrate)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    # The state migrate itself starts from (Django has no public name for it).
    return executor._create_project_state(with_applied_migrations=True).apps


class Command(DomainCommand):
    help = ("新しい版を導入した後に実行します: バックアップを取り、データベースを移行（migrate）し、監査ログの"
            "ハッシュチェーンを検証します。完全なら終了コード 0、チェーンに異常があれば 1。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="更新前のバックアップのファイル（.zip。既定: データフォルダの "
                                 "backups/jichitai-before-upgrade-日時.zip）")

    def handle(self, *args, **options):
        if options["output"]:
            path = Path(options["output"])
            if not path.parent.is_dir():
                raise InvalidInput(f"フォルダ {path.parent} がありません。")
        else:
            folder = settings.DATA_DIR / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"jichitai-before-upgrade-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
        if path.exists():
            raise InvalidInput(f"{path} は既にあります。別のファイル名を -o で指定してください。")
        pending = pending_migrations_of_a_reachable_database()

        # 1. Backup. Before any migration the rows are read through the applied migrations' models.
        registry = applied_state_models() if pending else None
        manifest = backup(path, registry=registry)
        rows = sum(manifest["counts"].values())

        # 2. Migrate (its own output is kept for --verbosity 2; people read the summary).
        out = io.StringIO()
        try:
            call_command("migrate", interactive=False, stdout=out, verbosity=1)
        except Exception as exc:
            raise CommandError(
                f"移行（migrate）に失敗しました: {mask_my_numbers(str(exc))}\n更新前のバックアップ {path} は、"
                f"前の版の Jichitai で `jichitai restore {path} --replace` として戻せます。",
                returncode=EXIT_PROBLEMS) from exc
        if options["verbosity"] >= 2:
            self.stdout.write(out.getvalue())
        if registry is not None:  # audited now that the audit log's table is the new version's
            record_operation(actor=None, via="command", action="backup.create",
                             after={"file": path.name, "rows": rows})

        # 3. The audit chain.
        found = verify()
        lines = [f"更新前のバックアップ: {path}（{len(manifest['counts'])} 表、{rows} 行）",
                 f"移行: {len(pending)} 件を適用しました。" if pending else "移行: 適用する移行はありませんでした。"]
        payload = {"ok": found is None, "backup": str(path), "rows": rows, "migrations_applied": pending}
        if found is None:
            lines.append("監査ログのハッシュチェーンは完全です。更新は完了しました。")
            self.emit(options, payload, "\n".join(lines))
            return
        entry = found.entry
        at = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
        payload |= {"entry": {"id": entry.pk, "at": entry.at.isoformat(), "action": entry.action,
                              "chain": entry.chain, "seq": entry.seq},
                    "reason": found.reason, "message": found.message}
        lines += [f"監査ログの改ざんを検出しました（{REASONS.get(found.reason, found.reason)}）。",
                  f"最初の異常: 記録 #{entry.pk}  日時 {at}  操作 {action_label(entry.action)}",
                  found.message,
                  "移行は完了しています。`jichitai audit verify` で確認し、原因を調べてください。"]
        self.emit(options, payload, "\n".join(lines))
        self.exit(EXIT_PROBLEMS)


from django.utils import timezone

from jichitai.audit.labels import action_label, actor_text
from jichitai.audit.models import AuditEntry
from jichitai.audit.services import verify
from jichitai.core.commands import EXIT_PROBLEMS, DomainCommand, InvalidInput

REASONS = {"changed": "改変", "removed": "削除", "inserted": "挿入"}


class Command(DomainCommand):
    help = ("audit verify [--municipality CODE]: 監査ログのハッシュチェーンを検証します。完全なら終了コード 0、"
            "改変・削除・挿入された最初の記録があればそれを示して 1。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["verify"], help="verify: ハッシュチェーンを検証する")
        parser.add_argument("--municipality", metavar="CODE", help="この団体のチェーンだけを検証する")

    def handle(self, *args, **options):
        scope, label = None, "監査ログ全体"
        if code := options.get("municipality"):
            # The municipality through the entry's own relation: audit sits below orgs and does not import it.
            municipality = AuditEntry._meta.get_field("municipality").related_model.objects.filter(code=code).first()
            if municipality is None:
                raise InvalidInput(f"団体コード {code} の団体がありません。")
            scope, label = municipality, f"{municipality} の監査ログ"
        found = verify(scope)
        if found is None:
            self.emit(options, {"ok": True, "scope": label}, f"{label}のハッシュチェーンは完全です。")
            return
        entry = found.entry
        at = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
        payload = {"ok": False, "scope": label, "entry": {
            "id": entry.pk, "at": entry.at.isoformat(), "action": entry.action, "actor": entry.actor_name,
            "chain": entry.chain, "seq": entry.seq}, "reason": found.reason, "message": found.message}
        self.emit(options, payload,
                  f"{label}の改ざんを検出しました（{REASONS[found.reason]}）。\n"
                  f"最初の異常: 記録 #{entry.pk}  日時 {at}  操作 {action_label(entry.action)}  利用者 {actor_text(entry)}\n"
                  f"{found.message}")
        self.exit(EXIT_PROBLEMS)

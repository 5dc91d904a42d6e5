from jichitai.checklist import rules
from jichitai.checklist.queries import evaluate
from jichitai.core.commands import EXIT_PROBLEMS, DomainCommand
from jichitai.core.wareki import format_date
from jichitai.orgs.commands import municipality_from_code
from jichitai.orgs.scoping import COMMAND_LINE


class Command(DomainCommand):
    help = "団体の情報連携後の5つの確認項目を評価します（OK でない項目があれば終了コード 1）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--municipality", required=True, help="団体コード（6桁）")
        parser.add_argument("--as-of", help="YYYY-MM-DD or 和暦 (default: today)")

    def handle(self, *args, **options):
        municipality = municipality_from_code(options["municipality"])
        as_of = self.as_of(options["as_of"])
        items = evaluate(COMMAND_LINE, [municipality], as_of)[municipality.pk]
        payload = {
            "municipality": municipality.code,
            "as_of": as_of.isoformat(),
            "items": [{"id": item.id, "title": item.title, "status": item.status, "findings": [
                {"message": f.message, "reason": f.reason,
                 "object": {"type": f.object_type, "id": f.object_id, "name": f.object_name}}
                for f in item.findings]} for item in items],
        }
        lines = [f"{municipality.code} {municipality.name} {format_date(as_of)}現在"]
        for item in items:
            lines.append(f"［{rules.status_words(item.status)}］{item.title}（指摘 {len(item.findings)}件）")
            lines += [f"    - ［{f.reason_label}］{f.message}" for f in item.findings]
        self.emit(options, payload, "\n".join(lines))
        if any(item.status != rules.OK for item in items):
            self.exit(EXIT_PROBLEMS)

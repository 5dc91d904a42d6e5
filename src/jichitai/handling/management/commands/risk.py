
from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.core.text import normalise
from jichitai.handling.models import HandlingRow
from jichitai.handling.rules import STAGE_LABEL
from jichitai.orgs.commands import municipality_from_code
from jichitai.orgs.scoping import COMMAND_LINE, visible
from jichitai.processes.models import Process
from jichitai.risk import rules


def _row_json(row: HandlingRow) -> dict:
    risk = row.risk
    measures = list(risk.countermeasures.all())
    # Recomputed rather than read from the stored columns, which a direct edit of a reduction leaves stale.
    residual = rules.residual_score(row.asset_value, risk.vulnerability_rating, risk.threat_rating,
                                    [(m.reduction, m.factor) for m in measures])
    return {
        "process": row.process.name, "id": row.row_id, "asset": row.asset_name,
        "stage": STAGE_LABEL.get(row.stage, row.stage),
        "confidentiality": row.confidentiality, "integrity": row.integrity, "availability": row.availability,
        "asset_value": row.asset_value, "vulnerability": risk.vulnerability_rating, "threat": risk.threat_rating,
        "total": rules.total_score(row.asset_value, risk.vulnerability_rating, risk.threat_rating),
        "countermeasures": [{"text": m.text, "reduction": rules.plain_number(m.reduction), "factor": m.factor,
                             "category": m.category} for m in measures],
        "residual": rules.plain_number(residual),
    }


class Command(DomainCommand):
    help = "団体の事務（または一つの事務）のリスク分析を評価値とともに一覧します。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--municipality", required=True, help="団体コード（6桁）")
        parser.add_argument("--process", help="登録簿の事務名（一つの事務だけを表示）")

    def handle(self, *args, **options):
        municipality = municipality_from_code(options["municipality"])
        processes = visible(Process.objects.filter(municipality=municipality), COMMAND_LINE)
        if options["process"]:
            processes = processes.filter(name=normalise(options["process"]))
            if not processes.exists():
                raise InvalidInput(f"事務「{options['process']}」は団体 {municipality.code} の登録簿にありません。")
        handling_rows = (HandlingRow.objects.filter(process__in=processes)
                         .select_related("process", "risk").prefetch_related("risk__countermeasures")
                         .order_by("process__name", "position", "id"))
        rows, warnings = [], []
        for row in handling_rows:
            if getattr(row, "risk", None) is None:
                warnings.append(f"{row.process.name}: {row.row_id} はリスク分析が未入力です")
            else:
                rows.append(_row_json(row))
        payload = {"municipality": municipality.code, "rows": rows, "warnings": warnings}
        lines = [f"{r['process']} {r['id']} {r['asset']}（{r['stage']}） 総合評価 {r['total']} → 残存評価 {r['residual']}"
                 for r in rows]
        lines += [f"警告 {w}" for w in warnings]
        self.emit(options, payload, "\n".join(lines) or "リスク分析の行はありません。")

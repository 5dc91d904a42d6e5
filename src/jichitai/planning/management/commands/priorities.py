"""`jichitai priorities --association NAME [--workshop NAME] --format json`: the ranked 課題分析 table."""

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.orgs.models import Association
from jichitai.planning import rules
from jichitai.planning.models import Workshop
from jichitai.planning.queries import issue_rows


def _number(value):
    """One decimal in the output only; whole numbers stay floats so every value reads the same way."""
    return None if value is None else float(rules.one_decimal(value))


class Command(DomainCommand):
    help = "課題分析の課題を平均・合計・順位とともに表示します。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--association", required=True, help="協議会名")
        parser.add_argument("--workshop", help="課題分析の名称（省略時: 最新のもの）")

    def handle(self, *args, **options):
        association = Association.objects.filter(name=options["association"]).first()
        if association is None:
            raise InvalidInput(f"協議会「{options['association']}」が登録されていません。")
        workshops = Workshop.objects.filter(association=association)
        if options["workshop"]:
            workshops = workshops.filter(name=options["workshop"])
        workshop = workshops.first()  # ordered most recent first
        if workshop is None:
            raise InvalidInput(f"協議会「{association.name}」に該当する課題分析がありません。")
        rows = issue_rows(workshop)
        payload = {
            "workshop": workshop.name,
            "criteria": [c["name"] for c in workshop.criteria],
            "issues": [{"title": r.issue.title, "averages": {k: _number(v) for k, v in r.averages.items()},
                        "total": _number(r.total), "rank": r.rank, "retired": r.issue.retired_on is not None}
                       for r in rows],
        }
        # A retired issue has no rank: it is listed last, marked 廃止.
        text = "\n".join(f"{r.rank or '廃止'}\t{r.issue.title}\t{r.shown_total}"
                          for r in sorted(rows, key=lambda r: (r.rank is None, r.rank or 0)))
        self.emit(options, payload, text)

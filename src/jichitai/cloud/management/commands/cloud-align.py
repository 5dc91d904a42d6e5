"""jichitai cloud-align: the proposed joint-cloud start year and each member's path (issue 6, scope 5)."""

from django.utils import timezone

from jichitai.cloud import queries, rules
from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.core.text import normalise
from jichitai.core.wareki import DateParseError, fiscal_year, fiscal_year_label, parse_fiscal_year
from jichitai.orgs.models import Association
from jichitai.orgs.scoping import COMMAND_LINE


class Command(DomainCommand):
    help = "協議会の構成団体について、システムの分類ごとに共同クラウドの開始年度を提案します。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--association", required=True, help="協議会名")
        parser.add_argument("--category", required=True, help="システムの分類（例: 住基）")
        parser.add_argument("--members", help="団体コードのカンマ区切り（省略時: すべての構成団体）")
        parser.add_argument("--as-of-fy", help="現在の年度（2026、R8、令和8年度。省略時: 今日の年度）")
        parser.add_argument("--lead-time", type=int, default=rules.DEFAULT_LEAD_TIME, help="準備期間（年）")
        parser.add_argument("--interim-years", type=int, default=rules.DEFAULT_INTERIM_YEARS,
                            help="つなぎの再リース期間（年）")

    def handle(self, *args, **options):
        association = Association.objects.filter(name=normalise(options["association"])).first()
        if association is None:
            raise InvalidInput(f"協議会「{options['association']}」は登録されていません。")
        members = queries.members(association, COMMAND_LINE)
        if options["members"]:
            codes = [c.strip() for c in options["members"].split(",") if c.strip()]
            unknown = sorted(set(codes) - set(members.filter(code__in=codes).values_list("code", flat=True)))
            if unknown:
                raise InvalidInput(f"協議会の構成団体ではない団体コードがあります: {', '.join(unknown)}")
            members = members.filter(code__in=codes)
        try:
            current = (parse_fiscal_year(options["as_of_fy"]) if options["as_of_fy"]
                       else fiscal_year(timezone.localdate()))
        except DateParseError as exc:
            raise InvalidInput(str(exc)) from exc
        if options["lead_time"] < 0 or options["interim_years"] < 1:
            raise InvalidInput("--lead-time は0以上、--interim-years は1以上を指定してください。")
        category = normalise(options["category"])
        found = queries.alignment_members(queries.systems(COMMAND_LINE, municipalities=members, category=category))
        if not found:
            raise InvalidInput(f"分類「{category}」のシステムは対象団体に登録されていません。")
        alignment = rules.align(found, current, lead_time=options["lead_time"],
                                interim_years=options["interim_years"])
        payload = queries.alignment_json(category, alignment)
        lines = [f"{category}: 開始年度 {fiscal_year_label(alignment.start_fy)}"] + [
            f"{a.code} {a.system} {rules.PATH_LABEL[a.path]} 参加 {fiscal_year_label(a.join_fy)} "
            f"再リース {a.re_lease_years}年" for a in alignment.members]
        self.emit(options, payload, "\n".join(lines))

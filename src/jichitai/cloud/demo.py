"""Demo data: every member's main systems with renewal years spread like the seed's 「各団体の主なシステム調達時期の整理」,
and one saved cloud plan. Idempotent: a member that already has systems is left as it is."""

import datetime as dt
import random

from jichitai.core.wareki import fiscal_year

from . import queries, rules, services
from .models import BusinessSystem, CloudPlan, StandardArea

# (name, 分類, 標準化対象業務, hosting, offset range of the contract's last year from the current fiscal year).
# The seed (drawn up in 平成30年度) spreads procurements over 平成30〜35年度 and later: offsets −1 … +6.
SYSTEMS = (
    ("住民記録システム", "住基", "住民基本台帳", "on_premises", (-1, 5)),
    ("税務システム", "税", "個人住民税", "on_premises", (-1, 5)),
    ("福祉総合システム", "福祉", "障害者福祉", "on_premises", (0, 6)),
    ("介護保険システム", "介護保険", "介護保険", "municipal_cloud", (0, 6)),
    ("内部情報システム", "内部系", None, "on_premises", (0, 4)),
    ("グループウェア", "グループウェア", None, "on_premises", (-1, 3)),
    ("LGWAN接続系", "LGWAN", None, "on_premises", (0, 4)),
    ("人事給与システム", "人事給与", None, "on_premises", (1, 6)),
    ("確定申告支援システム", "申告支援", None, "on_premises", (1, 5)),
    ("選挙管理システム", "選挙", None, "on_premises", (0, 3)),
    ("生保レセプト管理システム", "生保レセプト", "生活保護", "municipal_cloud", (-1, 2)),
)
# The 住基 systems of the first members, so the demo plan shows every path of the seed's クラウド計画:
# (offset of the contract's last year, re-lease years, early termination, hosting, extra 住基 systems).
# Member 0 is already in the joint cloud (既加入, 継続); member 1 has three 住基 systems; member 2 re-leases up to
# the start (同時参加); member 3's contract runs past it (後続参加); member 4's ends with no re-lease before the start (暫定更新: システム更新 this year).
JUKI_PATTERN = ((3, 2, False, "municipal_cloud", ()), (2, 2, False, "on_premises", (("印鑑登録システム", 2, 1),
                                                                                    ("住登外管理システム", 5, 0))),
                (1, 3, False, "on_premises", ()), (7, 2, False, "on_premises", ()), (-1, 0, False, "on_premises", ()))
# The others' 住基 contracts end within three years of each other, re-leasable for two: they can all align.
JUKI_OTHERS = (2, 3, 4)
COSTS = {"住基": (12_000, 30_000), "税": (15_000, 40_000), "福祉": (9_000, 25_000)}  # 千円: annual, initial
VENDORS = ("ベンダA", "ベンダB", "ベンダC", "ベンダD", "ベンダG")
STATUSES = ("not_started", "not_started", "in_progress", "standard_conforming", "gov_cloud", "special_support")


def populate(association, municipalities, today: dt.date, rng: random.Random) -> dict:
    services.load_standard_areas()
    areas = {a.name: a for a in StandardArea.objects.all()}
    current = fiscal_year(today)
    members = list(municipalities)
    created = 0
    have = set(BusinessSystem.objects.filter(municipality__in=members).values_list("municipality_id", flat=True))
    for index, member in enumerate(members):
        if member.pk in have:
            continue
        pattern = JUKI_PATTERN[index] if index < len(JUKI_PATTERN) else None
        for name, category, area, hosting, (low, high) in SYSTEMS:
            end, re_lease = current + rng.randint(low, high), rng.choice((1, 2, 2, 3))
            early = rng.random() < 0.2
            if category == "住基" and pattern:
                end, re_lease, early, hosting = current + pattern[0], pattern[1], pattern[2], pattern[3]
            elif category == "住基":
                end, re_lease, early = current + JUKI_OTHERS[index % len(JUKI_OTHERS)], 2, False
            status = rng.choice(STATUSES) if area else "not_started"
            annual, initial = COSTS.get(category, (3_000, 8_000))
            scale = member.population / 100_000 if member.population else 1
            services.save_system(
                actor=None, via="demo", municipality=member, name=name, category=category,
                standard_area=areas.get(area) if area else None, vendor=rng.choice(VENDORS),
                contract_start_fy=end - 4, contract_end_fy=end, re_lease_years=re_lease, early_termination=early,
                hosting="gov_cloud" if status == "gov_cloud" else hosting,
                standard_conformance=status in ("standard_conforming", "gov_cloud"), migration_status=status,
                annual_cost=round(annual * scale) or 1, initial_cost=round(initial * scale) or 1,
                re_lease_annual_cost=round(annual * scale * 0.6) or 1)
            created += 1
        for name, offset, re_lease in pattern[4] if pattern else ():
            services.save_system(actor=None, via="demo", municipality=member, name=name, category="住基",
                                 vendor=rng.choice(VENDORS), contract_end_fy=current + offset, re_lease_years=re_lease,
                                 annual_cost=2_000, initial_cost=5_000, re_lease_annual_cost=1_200)
            created += 1
    plans = 0
    if not CloudPlan.objects.filter(association=association).exists() and members:
        category = "住基"
        systems = BusinessSystem.objects.filter(municipality__in=members, category=category).select_related(
            "municipality")
        parameters = {"as_of_fy": current, "lead_time": association.procurement_lead_years,
                      "interim_years": rules.DEFAULT_INTERIM_YEARS}
        result, inventory = queries.compute_alignment(systems, category, parameters)
        services.save_plan(actor=None, via="demo", association=association, members=members, result=result,
                           inventory=inventory, parameters=parameters, name="住基共同クラウド",
                           category=category, destination="自治体クラウド（共同利用）", start_fy=result["start_fy"],
                           joint_initial_cost=60_000, joint_annual_cost=8_000 * len(members),
                           share_rule=rules.SHARE_MIXED, equal_share_percent=50,
                           kpis=[{"name": "参加団体数", "target": str(len(members)), "actual": ""},
                                 {"name": "運用経費削減率", "target": "20%", "actual": ""}])
        plans = 1
    return {"systems": created, "cloud_plans": plans}

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
VENDORS = ("ベンダA", "ベンダB", "ベンダC", "ベンダD", "ベンダG")
STATUSES = ("not_started", "not_started", "in_progress", "standard_conforming", "gov_cloud", "special_support")


def populate(association, municipalities, today: dt.date, rng: random.Random) -> dict:
    services.load_standard_areas()
    areas = {a.name: a for a in StandardArea.objects.all()}
    current = fiscal_year(today)
    members = list(municipalities)
    created = 0
    have = set(BusinessSystem.objects.filter(municipality__in=members).values_list("municipality_id", flat=True))
    for member in members:
        if member.pk in have:
            continue
        for name, category, area, hosting, (low, high) in SYSTEMS:
            end = current + rng.randint(low, high)
            status = rng.choice(STATUSES) if area else "not_started"
            services.save_system(
                actor=None, via="demo", municipality=member, name=name, category=category,
                standard_area=areas.get(area) if area else None, vendor=rng.choice(VENDORS),
                contract_start_fy=end - 4, contract_end_fy=end, re_lease_years=rng.choice((1, 2, 2, 3)),
                early_termination=rng.random() < 0.2,
                hosting="gov_cloud" if status == "gov_cloud" else hosting,
                standard_conformance=status in ("standard_conforming", "gov_cloud"), migration_status=status)
            created += 1
    plans = 0
    if not CloudPlan.objects.filter(association=association).exists() and members:
        category = "住基"
        systems = BusinessSystem.objects.filter(municipality__in=members, category=category).select_related(
            "municipality")
        alignment = rules.align(queries.alignment_members(systems), current)
        services.save_plan(actor=None, via="demo", association=association, members=members,
                           result=queries.alignment_json(category, alignment), name="住基共同クラウド",
                           category=category, destination="自治体クラウド（共同利用）", start_fy=alignment.start_fy,
                           kpis=[{"name": "参加団体数", "target": str(len(members)), "actual": ""},
                                 {"name": "運用経費削減率", "target": "20%", "actual": ""}])
        plans = 1
    return {"systems": created, "cloud_plans": plans}

"""Demo data: a published workshop with the seed's nine issues (their averages as imported) and a plan."""

from decimal import Decimal

from django.db import transaction

from jichitai.core.wareki import fiscal_year

from . import rules, services
from .models import Workshop
from .seed_table import ROWS, TITLE

# (issue position, fiscal-year offset, half, text, status) — after the seed's 3カ年 action plan.
ACTIONS = [
    (6, 0, "first", "原課への研修を行う（番号法29条関連研修）", "done"),
    (6, 0, "second", "研修計画の策定", "in_progress"),
    (6, 1, "first", "原課への研修（番号法29条関連）", "not_started"),
    (1, 0, "first", "セキュリティポリシーの更新もしくは定着化", "in_progress"),
    (4, 0, "first", "個人情報取扱規程の見直し・整備", "not_started"),
    (3, 0, "second", "クラウド化に向けた業務の洗い出し", "not_started"),
    (5, 1, "second", "マニュアル化をする", "not_started"),
    (7, 0, "second", "情報共有を目的とした勉強会", "not_started"),
]


@transaction.atomic
def populate(association, today) -> Workshop:
    """The seed's workshop, its issues written as the 課題分析表 import writes them (import_workshop), and its
    action plan. Idempotent: a workshop of this name already in the association is left as it is."""
    existing = Workshop.objects.filter(association=association, name=TITLE).first()
    if existing is not None:
        return existing
    workshop = services.create_workshop(actor=None, via="demo", association=association, name=TITLE,
                                        held_on=today, published=True)
    names = [c["name"] for c in rules.DEFAULT_CRITERIA]
    services.import_workshop(
        actor=None, via="demo", association=association, name=TITLE, criteria=workshop.criteria,
        issues=[{"title": row[1], "summary": row[2], "stated_total": Decimal(str(row[6])), "stated_rank": row[0],
                 "averages": {name: Decimal(str(v)) for name, v in zip(names, row[3:6], strict=True)}}
                for row in ROWS])
    issues = {issue.position: issue for issue in workshop.issues.all()}
    start = fiscal_year(today)
    for position, offset, half, text, status in ACTIONS:
        services.add_action_item(actor=None, via="demo", issue=issues[position], fiscal_year=start + offset,
                                 half=half, text=text, owner="事務局", status=status)
    return workshop

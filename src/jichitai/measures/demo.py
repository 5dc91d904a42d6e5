"""Fictional assessments for the demo and the benchmarks: some members nearly complete, some far behind."""

import datetime as dt
import random

from django.db import transaction

from jichitai.audit.services import record
from jichitai.orgs.models import Department, Staff

from . import rules
from .models import Assessment, Framework, FrameworkItem
from .services import DEFAULT_FRAMEWORK_CODE, create_assessments_bulk, load_default_framework

# A member's maturity is drawn from these bands so the association page shows a real spread.
MATURITY_BANDS = ((0.85, 0.98), (0.45, 0.75), (0.05, 0.3))
# Every tenth member from the seventh has not started its self-assessment: the checklist's item 5 shows what a
# missing record looks like (要確認, naming the 点検記録) next to members with open items.
NOT_ASSESSED_EVERY, NOT_ASSESSED_FROM = 10, 6
NOTES = {
    "基本方針": "特定個人情報等の取扱いに関する基本方針（平成28年1月制定）。ホームページで公表。",
    "取扱規程等": "課の取扱規程を管理段階ごとに整備。業務フロー・情報資産取扱手順表と対応。",
    "組織的安全管理措置": "総括責任者・保護責任者の指定通知、報告連絡体制図を文書管理システムに保存。",
    "人的安全管理措置": "年1回の研修と受講記録。課長による月次点検票。",
    "物理的安全管理措置": "取扱区域をパーテーションで区分、書類は施錠キャビネットで保管。",
    "技術的安全管理措置": "端末は生体認証、アクセス権は年度当初に棚卸し。ログは情報政策課が月次確認。",
}


def _status(rng: random.Random, maturity: float) -> str:
    roll = rng.random()
    if roll < 0.04:
        return rules.NOT_APPLICABLE
    if roll < maturity:
        return rules.DONE
    return rules.IN_PROGRESS if rng.random() < 0.5 else rules.NOT_STARTED


def _history(rng: random.Random, status: str, today: dt.date) -> list[tuple[str, dt.date]]:
    """Plausible changes over the past year ending in `status` (done went through 対応中 first)."""
    start = today - dt.timedelta(days=rng.randint(120, 360))
    if status == rules.DONE:
        finished = min(today, start + dt.timedelta(days=rng.randint(20, 110)))
        return [(rules.IN_PROGRESS, start), (rules.DONE, finished)]
    return [(status, start)]


@transaction.atomic
def populate(municipalities, today: dt.date, rng: random.Random) -> int:
    """Assess every slot of the shipped framework for each municipality that has no assessment yet.

    Loads the framework when missing. Returns the number of assessments created. Members that already have
    assessments are left alone, so running it twice changes nothing.
    """
    if not Framework.objects.filter(code=DEFAULT_FRAMEWORK_CODE).exists():
        load_default_framework()
    items = list(FrameworkItem.objects.filter(framework__code=DEFAULT_FRAMEWORK_CODE, active=True)
                 .select_related("framework"))
    item_by_id = {item.id: item for item in items}
    ids = [m.id for m in municipalities]
    assessed = set(Assessment.objects.filter(municipality_id__in=ids).values_list("municipality_id", flat=True))
    departments, staff = {}, {}
    for department in Department.objects.filter(municipality_id__in=ids).order_by("name"):
        departments.setdefault(department.municipality_id, []).append(department)
    for person in Staff.objects.filter(municipality_id__in=ids).order_by("staff_number"):
        staff.setdefault(person.municipality_id, []).append(person)
    created = 0
    for index, municipality in enumerate(municipalities):
        if municipality.id in assessed or index % NOT_ASSESSED_EVERY == NOT_ASSESSED_FROM:
            continue
        low, high = MATURITY_BANDS[index % len(MATURITY_BANDS)]
        maturity = rng.uniform(low, high)
        by_id = {d.id: d for d in departments.get(municipality.id, [])}
        people = staff.get(municipality.id, [])
        rows = []
        for item_pk, department_id in rules.slots([(i.id, i.departmental) for i in items], list(by_id)):
            status = _status(rng, maturity)
            item = item_by_id[item_pk]
            history = _history(rng, status, today)
            note = NOTES.get(item.category, "") if status == rules.DONE and rng.random() < 0.4 else ""
            review_on = None
            if status == rules.DONE:  # mostly a year after completion; a few already overdue
                review_on = history[-1][1] + dt.timedelta(days=rng.choice((365, 365, 365, 180, 90)))
            rows.append({
                "item": item, "department": by_id.get(department_id), "status": status, "evidence_note": note,
                "owner": rng.choice(people) if people and rng.random() < 0.5 else None, "review_on": review_on,
                "history": history})
        create_assessments_bulk(actor=None, via="demo", municipality=municipality, rows=rows)
        summary = rules.summarise(row["status"] for row in rows)
        record(actor=None, via="demo", action="measure.demo", obj=municipality, municipality=municipality,
               after=summary.as_dict())
        created += len(rows)
    return created

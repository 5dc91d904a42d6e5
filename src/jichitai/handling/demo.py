"""Demo 取扱記録 and reviews for jichitai.demo (fictional): the first member keeps records of the seed's
軽自動車税 process (one voided and entered again, a disposal with its witness); two others say records are kept
but have none recent (a record gap); one analysis and one 取扱規程 are past their periodic review."""

import datetime as dt
import random

from django.utils import timezone

from jichitai.orgs.models import Department, Staff
from jichitai.processes.models import Process

from . import services

VIA = "demo"
# (days ago, hour, row, action, medium, count, purpose, disposal method, witness)
FIRST_MEMBER = (
    (200, 9, "1-2", "acquire", "紙（窓口受付）", 12, "減免申請の受付", "", ""),
    (199, 14, "1-3", "use", "税関係システム", 12, "本人確認と個人番号照会", "", ""),
    (120, 10, "1-5", "store", "紙（特定個人情報ファイル）", 12, "申請書の綴り込み", "", ""),
    (60, 15, "1-5", "take_out", "紙（原本）", 1, "審査会への持出し（課長承認）", "", ""),
    (30, 11, "1-6", "dispose", "紙", 40, "法定保存期間の経過", "シュレッダーで裁断", "課長"),
    (10, 9, "1-2", "acquire", "紙（窓口受付）", 5, "減免申請の受付", "", ""),
)


def _at(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, 0)))


def _tax(municipality, name: str):
    process = Process.objects.filter(municipality=municipality, name=name).first()
    if process is None:
        return None, {}
    return process, {row.row_id: row for row in process.handling_rows.select_related("process__municipality")}


def _keep_records(process, rows, row_ids) -> None:
    for row_id in row_ids:
        if row_id in rows:
            rows[row_id] = services.save_handling_row(actor=None, via=VIA, process=process, row=rows[row_id],
                                                      records_kept=True)


def populate(municipalities, today: dt.date, rng: random.Random, process_name: str) -> None:
    """`process_name`: the seed's 軽自動車税 process, documented in the first members (demo.builder)."""
    if not municipalities:
        return
    first = municipalities[0]
    process, rows = _tax(first, process_name)
    people = list(Staff.objects.filter(municipality=first, department__name="税務課").order_by("staff_number"))
    if process is not None and people:
        _keep_records(process, rows, ("1-2", "1-5", "1-6"))
        chief = next((p for p in people if p.role == Staff.Role.PROTECTION_OFFICER), people[0])
        handlers = [p for p in people if p is not chief] or people
        for n, (days, hour, row_id, action, medium, count, purpose, method, witness) in enumerate(FIRST_MEMBER):
            services.create_record(
                actor=None, via=VIA, handling_row=rows[row_id], occurred_at=_at(today, days, hour),
                person=handlers[n % len(handlers)], action=action, medium=medium, count=count, purpose=purpose,
                approver=chief if action in ("take_out", "dispose", "provide") else None,
                disposal_method=method, witness=f"{chief.name}（{witness}）" if witness else "")
        wrong = services.create_record(actor=None, via=VIA, handling_row=rows["1-3"], occurred_at=_at(today, 5, 16),
                                       person=handlers[0], action="provide", medium="電子メール", count=1,
                                       purpose="照会への回答", approver=chief)
        services.void_record(actor=None, via=VIA, record_id=wrong.pk, reason="取扱区分の誤り（提供ではなく利用）")
        services.create_record(actor=None, via=VIA, handling_row=rows["1-3"], occurred_at=_at(today, 5, 16),
                               person=handlers[0], action="use", medium="税関係システム", count=1,
                               purpose="照会への回答の作成")
    department = Department.objects.filter(municipality=first, name="税務課").first()
    if department is not None:  # reviewed a little over a year ago: overdue
        services.mark_rules_reviewed(actor=None, via=VIA, department=department,
                                     reviewed_on=today - dt.timedelta(days=400))
    for index, member in enumerate(municipalities[1:4], start=1):
        process, rows = _tax(member, process_name)
        if process is None:
            continue
        if index == 1:  # records kept, the last one 15 months ago: a record gap
            _keep_records(process, rows, ("1-6",))
            person = Staff.objects.filter(municipality=member, department__name="税務課").order_by("staff_number").first()
            if person is not None and "1-6" in rows:
                services.create_record(actor=None, via=VIA, handling_row=rows["1-6"],
                                       occurred_at=_at(today, 460, 10), person=person, action="dispose", medium="紙",
                                       count=25, purpose="保存期間の経過", disposal_method="溶解処理（委託）",
                                       witness="委託先立会人")
        elif index == 2:  # reviewed a year and more ago, not approved since: overdue
            services.mark_analysis_reviewed(actor=None, via=VIA, process=process,
                                            reviewed_on=today - dt.timedelta(days=400))
        elif index == 3:  # says records are kept and has none: a record gap
            _keep_records(process, rows, ("1-5",))

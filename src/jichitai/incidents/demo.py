"""Demo incidents for jichitai.demo: a handful across the association — one reportable for more than 100
persons whose 確報 is overdue, one improper-purpose case, one encrypted (not reportable), one small one — with
phases and measures, and a drill for a few members that counts as their training."""

import datetime as dt
import random

from django.db import transaction

from jichitai.handling.models import HandlingRow
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process
from jichitai.training import services as training_services
from jichitai.training.models import Course

from . import rules, services
from .models import Drill, Incident

ALL_PHASES = [code for code, _ in rules.PHASES]
# (title, kinds, persons, flags, days before today it became known, report days sent after knowing, phases)
CASES = (
    ("住民税通知書の一斉メール誤送信", ["leak"], 152, {}, 45, (2, None), ALL_PHASES[:3],
     "送信前の宛先確認を二人で行う手順を取扱手順に加える。", "宛先をBCCにせず一斉送信した。"),
    ("職員による特定個人情報の不正閲覧・持ち出し", ["misuse", "leak"], 3, {"improper_purpose": True}, 20, (1, None),
     ALL_PHASES[:3], "照会ログの定期点検を月次で行う。", "個人的な目的での照会。アクセスログで判明。"),
    ("暗号化USBメモリの紛失", ["loss"], 800, {"encrypted_high_standard": True}, 70, (None, None), ALL_PHASES,
     "USBメモリの持ち出し簿を運用する。", "庁外会議の帰路で紛失。AES-256で暗号化済み。"),
    ("窓口での申請書控えの誤交付", ["leak"], 1, {}, 12, (None, None), ALL_PHASES,
     "交付前に氏名と生年月日を申請者と読み合わせる。", "同姓の申請者に控えを渡した。"),
)
DRILL_COURSES = ("⑥", "⑦", "⑧")
SCENARIOS = {
    "⑥": "標的型メールの添付ファイルを開いた端末から不審な通信が見つかった（ボードゲーム教材）。",
    "⑦": "住民記録システムの帳票が誤って外部に送付された想定で、発見から被害拡大防止までを検討した。",
    "⑧": "ランサムウェア被害からの復旧計画と再発防止策を作成した。",
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=rules.TOKYO)


@transaction.atomic
def populate(municipalities, today: dt.date, rng: random.Random) -> dict:
    """Incidents for the first four members and a drill for the first three. Idempotent: a member that already
    has incidents (or drills) is left as it is."""
    members = list(municipalities)
    now = _at(today, 23)
    totals = {"incidents": 0, "drills": 0}
    for index, case in enumerate(CASES[:len(members)] if members else ()):
        municipality = members[index]
        if not Incident.objects.filter(municipality=municipality).exists():
            _incident(municipality, case, today, now, rng)
            totals["incidents"] += 1
    training_services.load_curriculum()
    courses = {c.code: c for c in Course.objects.filter(code__in=DRILL_COURSES, association__isnull=True,
                                                         municipality__isnull=True)}
    for index, municipality in enumerate(members[:3]):
        if Drill.objects.filter(municipality=municipality).exists():
            continue
        people = list(Staff.objects.filter(municipality=municipality, role__in=("protection_officer", "handler"))
                      .order_by("id")[:40])
        code = DRILL_COURSES[index % len(DRILL_COURSES)]
        services.save_drill(actor=None, via="demo", municipality=municipality, course=courses[code],
                            held_on=today - dt.timedelta(days=30 + 20 * index), scenario=SCENARIOS[code],
                            lessons="初動の連絡先が課ごとに違っていた。CSIRT への報告様式を統一する。",
                            participants=rng.sample(people, min(len(people), 8)), today=today)
        totals["drills"] += 1
    return totals


def _incident(municipality, case, today: dt.date, now: dt.datetime, rng: random.Random) -> Incident:
    title, kinds, persons, flags, age, (preliminary_after, final_after), phases, measure, cause = case
    known = today - dt.timedelta(days=age)
    # A process with a handling table when there is one, so the measure can follow up on its rule.
    row = HandlingRow.objects.filter(process__municipality=municipality).select_related("process").order_by(
        "process_id", "position", "id").first()
    processes = [row.process] if row else list(Process.objects.filter(municipality=municipality).order_by("id")[:1])
    incident = services.save_incident(
        actor=None, via="demo", municipality=municipality, now=now, title=title,
        discovered_at=_at(known, 9), known_at=_at(known, 11), kinds=kinds, persons_affected=persons,
        department=processes[0].department if processes else None, root_cause=cause, processes=processes,
        preliminary_sent_on=known + dt.timedelta(days=preliminary_after) if preliminary_after else None,
        final_sent_on=known + dt.timedelta(days=final_after) if final_after else None,
        persons_notified_on=known + dt.timedelta(days=5) if persons > 1 and age > 5 else None, **flags)
    for offset, phase in enumerate(phases):
        services.add_phase(actor=None, via="demo", incident=incident, now=now, phase=phase,
                           at=_at(known, 9) + dt.timedelta(hours=2 + offset * rng.randint(20, 30)),
                           note=f"{rules.PHASE_LABEL[phase]}を実施。")
    services.save_measure(actor=None, via="demo", incident=incident, text=measure,
                          done=phases == ALL_PHASES, follow_up=row)
    return incident

"""Demo SPI files for jichitai.demo: a few files per member whose counts give every threshold outcome across the
association, with evaluations — some overdue for the yearly review, one overtaken by a threshold rise, one
with a 重要な変更 after it — and a staff-only file (exempt)."""

import datetime as dt
import random

from django.db import transaction

from jichitai.audit.services import record
from jichitai.processes.models import Process

from . import rules, services
from .models import SpiFile

# (persons, handlers, evaluation scenario): cycled over the association so each outcome appears.
SCENARIOS = (
    (800, 12, None),  # none: fewer than 1,000 persons
    (4_800, 35, "basic_overdue"),  # basic, published over a year ago and never reviewed
    (52_000, 620, "overtaken"),  # now basic+key (S ≥ 500), evaluated as basic
    (28_000, 140, "changed"),  # basic, with a 重要な変更 after the evaluation
    (160_000, 320, "key_current"),  # basic+key, evaluated this year
    (180_000, 540, "full_in_progress"),  # basic+full, evaluation under way
    (420_000, 900, "full_current"),  # basic+full, published after public comment and 第三者点検
)


def _file_name(process: Process) -> str:
    return f"{process.name.removesuffix('事務')[:180]}情報ファイル"


def _evaluation(scenario: str, today: dt.date, rng: random.Random) -> list[dict]:
    """The evaluation a file of this scenario has had (its fields for pia.services.save_evaluation)."""

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days + rng.randint(0, 20))

    if scenario in ("basic_overdue", "overtaken", "changed"):
        submitted = ago(600)
        return [dict(kind=rules.BASIC, started_on=submitted - dt.timedelta(days=40),
                     submitted_on=submitted, published_on=submitted + dt.timedelta(days=14),
                     documents="基礎項目評価書（文書管理システム 登録番号 PIA-001）")]
    if scenario == "key_current":
        submitted = ago(120)
        return [dict(kind=rules.KEY, started_on=submitted - dt.timedelta(days=60),
                     submitted_on=submitted, published_on=submitted + dt.timedelta(days=10),
                     documents="基礎項目評価書・重点項目評価書（共有フォルダ ¥¥pia¥評価書）")]
    if scenario == "full_in_progress":
        start = ago(30)
        return [dict(kind=rules.FULL, started_on=start,
                     comment_from=start + dt.timedelta(days=7), comment_to=start + dt.timedelta(days=36),
                     notes="意見募集中")]
    if scenario == "full_current":
        comment_from = ago(200)
        review = comment_from + dt.timedelta(days=50)
        return [dict(kind=rules.FULL, started_on=comment_from - dt.timedelta(days=30),
                     comment_from=comment_from, comment_to=comment_from + dt.timedelta(days=29),
                     third_party_review_on=review, submitted_on=review + dt.timedelta(days=20),
                     published_on=review + dt.timedelta(days=35),
                     documents="全項目評価書、第三者点検結果報告書（情報政策課 書庫）")]
    return []


@transaction.atomic
def populate(municipalities, today: dt.date, rng: random.Random) -> dict:
    """Files for up to four processes per member. Idempotent: a member that has files is left as it is."""
    totals = {"files": 0, "evaluations": 0, "changes": 0}
    turn = 0
    for municipality in municipalities:
        if SpiFile.objects.filter(municipality=municipality).exists():
            continue
        processes = list(Process.objects.filter(municipality=municipality, beppyo_item__isnull=False).order_by("id"))
        chosen = rng.sample(processes, min(len(processes), 4))
        files, evaluations, changes = [], [], []
        for process in chosen:
            persons, handlers, scenario = SCENARIOS[turn % len(SCENARIOS)]
            turn += 1
            spi_file = services.save_file(actor=None, via="demo", municipality=municipality, processes=[process],
                                          name=_file_name(process), persons=persons, handlers=handlers,
                                          systems=process.systems)
            files.append(spi_file)
            for fields in _evaluation(scenario or "", today, rng):
                evaluations.append(services.save_evaluation(actor=None, via="demo", spi_file=spi_file, **fields)[0])
            if scenario == "changed":
                changes.append(services.save_change(
                    actor=None, via="demo", spi_file=spi_file, changed_on=today - dt.timedelta(days=60),
                    description="標準準拠システムへの移行（ガバメントクラウド利用）"))
        files.append(services.save_file(actor=None, via="demo", municipality=municipality,
                                        name="職員給与（源泉徴収）情報ファイル", persons=1_200, handlers=8, staff_only=True,
                                        notes="職員の給与・福利厚生のみ（評価の実施を要しない）"))
        record(actor=None, via="demo", action="demo.pia", obj=municipality, municipality=municipality,
               after={"files": len(files), "evaluations": len(evaluations), "changes": len(changes)})
        totals["files"] += len(files)
        totals["evaluations"] += len(evaluations)
        totals["changes"] += len(changes)
    return totals

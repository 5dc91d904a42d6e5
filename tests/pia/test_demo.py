import datetime as dt
import random

from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.pia import demo, rules
from jichitai.pia.models import SpiFile
from jichitai.pia.queries import file_rows
from jichitai.processes.models import Process

TODAY = dt.date(2026, 5, 1)


def test_demo_gives_every_outcome_and_flag_across_the_association(association, beppyo, incidents):
    members = [Municipality.objects.create(code=with_check_digit(f"992{i:02d}"), name=f"市{i}",
                                           association=association) for i in range(2)]
    items = list(beppyo.values())
    for m in members:
        for n in range(5):
            Process.objects.create(municipality=m, name=f"事務{n}", beppyo_item=items[n])
    totals = demo.populate(members, TODAY, random.Random(1))  # noqa: S311 - demo data, not secrets
    assert totals["files"] == 10 and SpiFile.objects.count() == 10
    states = [r.state for m in members for r in file_rows(COMMAND_LINE, m, TODAY)]
    assert {s.threshold.required for s in states} == {rules.NONE, rules.BASIC, rules.KEY, rules.FULL}
    flags = {f for s in states for f in s.flags}
    assert {rules.REVIEW_OVERDUE, rules.THRESHOLD_ROSE, rules.CHANGE_NOT_REEVALUATED, rules.MISSING} <= flags
    assert any(s.in_progress for s in states)
    again = demo.populate(members, TODAY, random.Random(1))  # noqa: S311 - demo data, not secrets
    assert again == {"files": 0, "evaluations": 0, "changes": 0}

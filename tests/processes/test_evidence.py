"""Issue 3 §6: 業務フロー, 特定個人情報 and リスク評価 follow the evidence unless a user overrides them."""

import datetime as dt

import pytest
from django.utils import timezone

from jichitai.exchange.imports import run_import
from jichitai.handling.models import ApprovalEvent, FlowStep
from jichitai.handling.services import approve, save_flow_step
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes import rules
from jichitai.processes.models import Process
from jichitai.processes.queries import progress_matrix
from jichitai.processes.services import set_progress
from tests import seed_sheets as seed


@pytest.fixture
def documented(municipality, beppyo):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS,
                                     registered_on=dt.date(2017, 4, 1))
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok
    return process


def details(municipality, as_of=None):
    matrix = progress_matrix(COMMAND_LINE, municipality, as_of or timezone.localdate())
    return {row.process.name: row.details for row in matrix.rows}[seed.PROCESS]


def statuses(cells):
    return {key: cells[key].status for key in ("flow", "spi", "risk")}


def test_tables_without_flow_or_approval_are_started(municipality, documented):
    cells = details(municipality)
    assert statuses(cells) == {"flow": "not_started", "spi": "started", "risk": "started"}
    assert not any(cells[k].overridden for k in rules.EVIDENCE_COLUMNS)
    assert cells["pia"].derived == "not_started"  # no specific personal information file in the PIA register
    assert cells["ordinance"].derived is None  # not an evidence column


def test_flow_and_approval_make_them_done(municipality, documented, admin_user):
    save_flow_step(actor=admin_user, via="web", process=documented, order=1, lane="resident", action="申請書を提出")
    approve(actor=admin_user, via="web", process=documented)
    assert statuses(details(municipality)) == {"flow": "done", "spi": "done", "risk": "done"}
    # Editing after approval returns the set to draft: 〇 falls back to △.
    save_flow_step(actor=admin_user, via="web", process=documented, order=2, lane="counter", action="受領")
    assert statuses(details(municipality)) == {"flow": "started", "spi": "started", "risk": "started"}
    assert [e.action for e in ApprovalEvent.objects.all()] == ["approved", "returned"]


def test_unanalysed_row_keeps_risk_started(municipality, documented):
    sheets = seed.handling_sheet(seed.HANDLING_ROWS + [["1-7", "減免申請書", "電子", "提供", "", "", "", "", "", "", "", "",
                                                         1, 1, 1, 0]])
    from tests.helpers import workbook_bytes

    assert run_import(workbook_bytes({"h": sheets}), actor=None, municipality=municipality).ok
    assert details(municipality)["risk"].status == "started"


def test_override_that_contradicts_evidence_is_marked(municipality, documented, admin_user, client_for):
    set_progress(actor=admin_user, via="web", process=documented, column="flow", status="done")
    cell = details(municipality)["flow"]
    assert cell.status == "done" and cell.overridden and cell.derived == "not_started" and cell.contradicts
    html = client_for(admin_user).get(f"/m/{municipality.code}/").content.decode()
    assert "contradicts" in html and "証跡 ×" in html
    set_progress(actor=admin_user, via="web", process=documented, column="flow", status=rules.FOLLOW_EVIDENCE)
    cell = details(municipality)["flow"]
    assert cell.status == "not_started" and not cell.overridden


def test_evidence_as_of_a_past_date(municipality, documented):
    FlowStep.objects.update(created_at=timezone.now())
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    from jichitai.handling.models import HandlingRow

    HandlingRow.objects.update(created_at=timezone.now())
    assert statuses(details(municipality, yesterday)) == {"flow": "not_started", "spi": "not_started",
                                                          "risk": "not_started"}


def test_follow_evidence_is_only_for_evidence_columns(municipality, documented, admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        set_progress(actor=admin_user, via="web", process=documented, column="ordinance",
                     status=rules.FOLLOW_EVIDENCE)


def test_not_needed_never_contradicts_the_evidence():
    cell = rules.Cell("not_needed", "not_started", True)
    assert not cell.contradicts
    assert rules.Cell("done", "not_started", True).contradicts
    assert not rules.Cell("started", "started", True).contradicts

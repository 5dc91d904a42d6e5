from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.audit.models import AuditEntry
from jichitai.exchange.imports import run_import
from jichitai.handling.models import FlowStep, HandlingRow, ProcessAnalysis
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process
from jichitai.risk.models import RiskRow
from tests import seed_sheets as seed
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import db_state


@pytest.fixture
def documented(municipality, beppyo):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS)
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok
    return process


def test_analysis_page_shows_flow_tables_and_scores(client_for, admin_user, municipality, documented):
    FlowStep.objects.create(process=documented, order=1, lane="resident", action="減免申請書を提出する")
    html = client_for(admin_user).get(f"/m/{municipality.code}/processes/{documented.pk}/analysis/").content.decode()
    assert "<svg" in html and "減免申請書を提出する" in html
    assert html.count('class="attention"') == 0  # residuals 8 and 6 are below the default level 12
    assert "個人スペースを作る。" in html and "△0.5" in html


def test_add_and_edit_flow_step_inline(client_for, admin_user, municipality, documented):
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/processes/{documented.pk}/steps/new/",
                           {"order": 1, "lane": "counter", "action": "申請書を受領", "stage": "acquire"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    step = FlowStep.objects.get()
    form = client.get(f"/m/{municipality.code}/steps/{step.pk}/?edit=1").content.decode()
    assert 'name="action"' in form and "申請書を受領" in form
    row = client.post(f"/m/{municipality.code}/steps/{step.pk}/",
                      {"order": 1, "lane": "staff", "action": "内容を確認", "stage": "use"}).content.decode()
    assert "内容を確認" in row and "担当課員" in row
    assert list(AuditEntry.objects.filter(action__startswith="flow.").order_by("id").values_list("action", flat=True)) == [
        "flow.create", "flow.update"]
    bad = client.post(f"/m/{municipality.code}/steps/{step.pk}/", {"order": "", "lane": "moon", "action": ""})
    assert bad.status_code == 400 and FlowStep.objects.get().action == "内容を確認"


def test_flow_svg_download(client_for, admin_user, municipality, documented):
    FlowStep.objects.create(process=documented, order=1, lane="system", action="<入力>")
    response = client_for(admin_user).get(f"/m/{municipality.code}/processes/{documented.pk}/flow.svg")
    body = response.content.decode()
    assert response["Content-Type"].startswith("image/svg+xml") and "&lt;入力&gt;" in body and "<入力>" not in body


def test_risk_form_scores_countermeasures(client_for, admin_user, municipality, documented):
    row = HandlingRow.objects.get(process=documented, row_id="1-2")
    response = client_for(admin_user).post(f"/m/{municipality.code}/rows/{row.pk}/risk/", {
        "risk-vulnerability": "窓口が開放的", "risk-vulnerability_rating": 3, "risk-threat_rating": 2,
        "cm-TOTAL_FORMS": 2, "cm-INITIAL_FORMS": 0,
        "cm-0-text": "仕切りを置く。", "cm-0-reduction": "1", "cm-0-factor": "vulnerability",
        "cm-1-text": "掲示で注意喚起。", "cm-1-reduction": "0.5", "cm-1-factor": "threat", "cm-1-category": "human"})
    assert response.status_code == 302
    risk = RiskRow.objects.get(handling_row=row)
    assert risk.total == 24 and risk.residual == Decimal("12")  # 4 × (3−1) × (2−0.5)
    assert [m.category for m in risk.countermeasures.all()] == ["", "human"]


def test_risk_form_refuses_my_number_and_bad_rating(client_for, admin_user, municipality, documented):
    row = HandlingRow.objects.get(process=documented, row_id="1-2")
    before = db_state()
    response = client_for(admin_user).post(f"/m/{municipality.code}/rows/{row.pk}/risk/", {
        "risk-vulnerability_rating": 5, "risk-threat_rating": 2, "cm-TOTAL_FORMS": 1, "cm-INITIAL_FORMS": 0,
        "cm-0-text": f"番号 {FAKE_MY_NUMBER}", "cm-0-reduction": "0.5", "cm-0-factor": "vulnerability"})
    html = response.content.decode()
    assert response.status_code == 400 and "個人番号" in html and FAKE_MY_NUMBER not in html
    assert db_state() == before


def test_handling_row_value_computed_and_unique_id(client_for, admin_user, municipality, documented):
    client = client_for(admin_user)
    data = {"row_id": "２－１", "asset_name": "決定通知書", "kind": "paper", "stage": "provide",
            "confidentiality": 3, "integrity": 3, "availability": 1}
    assert client.post(f"/m/{municipality.code}/processes/{documented.pk}/rows/new/", data).status_code == 302
    assert HandlingRow.objects.get(row_id="2-1").asset_value == 4
    again = client.post(f"/m/{municipality.code}/processes/{documented.pk}/rows/new/", data)
    assert again.status_code == 200 and HandlingRow.objects.filter(row_id="2-1").count() == 1


def test_approve_and_edit_returns_to_draft(client_for, admin_user, municipality, documented, department):
    officer = Staff.objects.create(municipality=municipality, department=department, staff_number="P1",
                                   name="課長 太郎", role="protection_officer")
    client = client_for(admin_user)
    url = f"/m/{municipality.code}/processes/{documented.pk}/approve/"
    client.post(url, {"officer": officer.pk})
    assert ProcessAnalysis.objects.get().status == "draft"  # no flow yet
    FlowStep.objects.create(process=documented, order=1, lane="resident", action="提出")
    client.post(url, {"officer": officer.pk, "note": "確認済"})
    assert ProcessAnalysis.objects.get().status == "approved"
    row = HandlingRow.objects.get(row_id="1-2")
    client.post(f"/m/{municipality.code}/rows/{row.pk}/edit/", {
        "row_id": "1-2", "asset_name": "減免申請書", "kind": "paper", "stage": "acquire",
        "confidentiality": 3, "integrity": 3, "availability": 2})
    analysis = ProcessAnalysis.objects.get()
    assert analysis.status == "draft"
    assert [(e.action, e.officer_id) for e in analysis.events.all()] == [("approved", officer.pk), ("returned", None)]
    risk = RiskRow.objects.get(handling_row=row)
    assert (row.__class__.objects.get(pk=row.pk).asset_value, risk.total, risk.residual) == (5, 20, 10)


def _seed_rows(process, n):
    rows = HandlingRow.objects.bulk_create(
        HandlingRow(process=process, row_id=f"9-{i}", asset_name="申請書", kind="paper", stage="use",
                    confidentiality=3, integrity=2, availability=2, asset_value=4, position=i) for i in range(n))
    RiskRow.objects.bulk_create(RiskRow(handling_row=r, vulnerability_rating=2, threat_rating=2, total=16,
                                        residual=8) for r in rows)


def test_analysis_page_query_count_is_constant(client_for, admin_user, municipality, beppyo):
    counts = []
    client = client_for(admin_user)
    for n in (10, 2000):
        process = Process.objects.create(municipality=municipality, name=f"事務{n}")
        _seed_rows(process, n)
        FlowStep.objects.create(process=process, order=1, lane="resident", action="提出")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/m/{municipality.code}/processes/{process.pk}/analysis/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 14, counts  # 14: with the menu's read of the user's roles and the page's COUNT

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.processes.models import Process, ProgressChange
from jichitai.processes.services import set_progress
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import db_state, progress_sheet


def test_cell_edit_in_place_is_saved_and_audited(client_for, admin_user, municipality, process):
    client = client_for(admin_user)
    url = f"/m/{municipality.code}/cell/{process.pk}/risk/"
    picker = client.get(url + "?edit=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<select name=\"status\"" in picker and "hx-post" in picker
    response = client.post(url, {"status": "started"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="cell-{process.pk}-risk"' in html and "△" in html
    change = ProgressChange.objects.get()
    assert (change.column, change.status, change.recorded_by, change.source) == ("risk", "started", admin_user, "web")
    entry = AuditEntry.objects.get(action="progress.set")
    assert entry.actor == admin_user and entry.via == "web" and entry.after["status"] == "started"


def test_cell_edit_rejects_unknown_status(client_for, admin_user, municipality, process):
    response = client_for(admin_user).post(f"/m/{municipality.code}/cell/{process.pk}/risk/", {"status": "bogus"})
    assert response.status_code == 400 and ProgressChange.objects.count() == 0


def test_matrix_page_as_of_past_date_is_read_only(client_for, admin_user, municipality, process):
    process.registered_on = dt.date(2025, 1, 1)
    process.save()
    set_progress(actor=admin_user, via="web", process=process, column="flow", status="started",
                 effective_on=dt.date(2025, 6, 1))
    set_progress(actor=admin_user, via="web", process=process, column="flow", status="done")
    client = client_for(admin_user)
    today = client.get(f"/m/{municipality.code}/").content.decode()
    past = client.get(f"/m/{municipality.code}/?as_of=2025-07-01").content.decode()
    assert "cell-button" in today and "〇" in today
    assert "cell-button" not in past and "令和7年7月1日現在" in past and 'title="着手"' in past
    next_year = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    future = client.get(f"/m/{municipality.code}/?as_of={next_year}").content.decode()
    assert "未来の日付" in future or "future" in future


def test_matrix_filters_and_sorts(client_for, admin_user, municipality, process, beppyo):
    other = Process.objects.create(municipality=municipality, name="独自の事務")
    set_progress(actor=admin_user, via="web", process=other, column="flow", status="done")
    client = client_for(admin_user)
    no_basis = client.get(f"/m/{municipality.code}/?basis=none").content.decode()
    assert "独自の事務" in no_basis and "児童手当事務" not in no_basis
    done = client.get(f"/m/{municipality.code}/?column=flow&status=done").content.decode()
    assert "独自の事務" in done and "児童手当事務" not in done
    by_flow = client.get(f"/m/{municipality.code}/?sort=flow").content.decode()
    assert by_flow.index("独自の事務") < by_flow.index("児童手当事務")
    export = client.get(f"/m/{municipality.code}/progress.xlsx?basis=none")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A6"].value == "独自の事務" and sheet["A7"].value.startswith("合計")


def test_process_form_refuses_my_number_in_japanese_without_echo(client_for, admin_user, municipality):
    before = db_state()
    response = client_for(admin_user).post(f"/m/{municipality.code}/processes/new/", {
        "name": "新しい事務", "notes": f"対象者 {FAKE_MY_NUMBER}", "registered_on": "2026-04-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "個人番号" in html and FAKE_MY_NUMBER not in html
    assert db_state() == before


def test_process_create_and_edit_are_audited(client_for, admin_user, municipality, beppyo):
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/processes/new/", {
        "name": "児童扶養手当事務", "beppyo_item": beppyo["56"].pk, "persons_count": "1200",
        "registered_on": "2026-04-01"})
    process = Process.objects.get(name="児童扶養手当事務")
    assert response.status_code == 302 and process.legal_basis_label == "別表56項"
    client.post(f"/m/{municipality.code}/processes/{process.pk}/edit/", {
        "name": "児童扶養手当事務", "beppyo_item": beppyo["56"].pk, "persons_count": "1300",
        "registered_on": "2026-04-01"})
    entry = AuditEntry.objects.get(action="process.update")
    assert entry.before["persons_count"] == 1200 and entry.after["persons_count"] == 1300


def test_duplicate_process_name_is_a_form_error(client_for, admin_user, municipality, process):
    response = client_for(admin_user).post(f"/m/{municipality.code}/processes/new/", {
        "name": process.name, "registered_on": "2026-04-01"})
    assert response.status_code == 200 and Process.objects.count() == 1


def test_upload_with_errors_lists_cells_and_writes_nothing(client_for, admin_user, municipality, process):
    before = db_state()
    upload = io.BytesIO(progress_sheet([["児童手当事務", "済", "", "", "", "", ""]]))
    upload.name = "progress.xlsx"
    response = client_for(admin_user).post(f"/m/{municipality.code}/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400 and "B6" in html and "何も取り込んでいません" not in html
    assert "読めません" in html
    assert db_state() == before


def test_upload_imports(client_for, admin_user, municipality, process):
    upload = io.BytesIO(progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]]))
    upload.name = "progress.xlsx"
    response = client_for(admin_user).post(f"/m/{municipality.code}/import/", {"file": upload})
    assert response.status_code == 200
    assert ProgressChange.objects.get().source == "import"
    assert AuditEntry.objects.filter(action="progress.set", actor=admin_user).count() == 1


def test_association_page_compares_members(client_for, secretariat_user, association, municipality, process,
                                           admin_user):
    set_progress(actor=admin_user, via="web", process=process, column="flow", status="done")
    html = client_for(secretariat_user).get(f"/a/{association.pk}/?sort=flow").content.decode()
    assert municipality.name in html and "100.0%" in html and "0.0%" in html
    # Secretariat drills down read-only.
    matrix = client_for(secretariat_user).get(f"/m/{municipality.code}/").content.decode()
    assert "cell-button" not in matrix and "児童手当事務" in matrix


def test_audit_page_lists_writes(client_for, admin_user, municipality, process):
    set_progress(actor=admin_user, via="web", process=process, column="pia", status="started",
                 effective_on=timezone.localdate())
    html = client_for(admin_user).get(f"/m/{municipality.code}/audit/?action=progress").content.decode()
    assert "進捗の記録" in html and "未着手 → 着手" in html and "admin" in html


def test_association_export_reads_back(client_for, secretariat_user, association, municipality, process, admin_user):
    set_progress(actor=admin_user, via="web", process=process, column="flow", status="done")
    response = client_for(secretariat_user).get(f"/a/{association.pk}/progress.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "A県市町村振興協会 構成団体別 業務フロー等進捗状況"
    assert [c.value for c in sheet[5]][:5] == [municipality.code, "テスト市", 1, 1.0, "1/0/0/0"]
    assert sheet["D5"].number_format == "0.0%"

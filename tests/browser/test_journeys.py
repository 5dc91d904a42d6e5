"""Journeys as people make them, in Chromium: each step checks what is on the screen, not only a status code."""

import io
from pathlib import Path

from openpyxl import load_workbook

from jichitai.incidents.models import Incident
from jichitai.orgs.models import Membership
from jichitai.processes.models import ProgressChange
from jichitai.processes.services import set_progress
from tests.browser.screen import csrf_token, expect_text, htmx_settled
from tests.conftest import make_user
from tests.helpers import progress_sheet


def test_secretariat_compares_members_opens_one_read_only_and_exports(
        page, login, secretariat_user, association, municipality, process, admin_user):
    set_progress(actor=admin_user, via="web", process=process, column="flow", status="done")
    login(secretariat_user)
    page.goto(f"/a/{association.pk}/")
    expect_text(page, "テスト市", "100.0%", selector="table.compare tbody")
    page.get_by_role("link", name="テスト市").click()
    page.wait_for_url(f"**/m/{municipality.code}/**")
    expect_text(page, "テスト市 業務フロー等進捗状況", "児童手当事務")
    assert page.locator("table.matrix button.cell-button").count() == 0  # read-only: nothing to click
    assert page.get_by_role("link", name="事務を追加").count() == 0
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excelでダウンロード").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet["A1"].value == "A県市町村振興協会 構成団体別 業務フロー等進捗状況"
    assert [c.value for c in sheet[5]][:4] == [municipality.code, "テスト市", 1, 1.0]


def test_viewer_finds_no_edit_control_and_a_direct_post_is_refused(page, login, viewer_user, municipality, process):
    login(viewer_user)
    page.goto(f"/m/{municipality.code}/")
    expect_text(page, "児童手当事務", "×", selector="table.matrix")
    assert page.locator("table.matrix button.cell-button").count() == 0
    assert page.locator("table.matrix select, table.matrix form").count() == 0
    assert page.get_by_role("link", name="事務を追加").count() == 0
    # What a crafted request would try: the cell's htmx POST with a valid CSRF token and session.
    response = page.request.post(f"/m/{municipality.code}/cell/{process.pk}/risk/", form={"status": "done"},
                                 headers={"X-CSRFToken": csrf_token(page), "HX-Request": "true",
                                          "Referer": page.url})
    assert response.status == 403
    assert not ProgressChange.objects.exists()
    page.reload()
    assert "〇" not in page.locator("table.matrix tbody").inner_text()


def test_editor_records_an_incident_and_sees_its_deadlines(page, login, municipality, process):
    editor = make_user("editor", Membership.Role.EDITOR, municipality=municipality)
    login(editor)
    page.goto(f"/m/{municipality.code}/incidents/")
    page.get_by_role("link", name="事案を記録").click()
    page.get_by_label("件名").fill("申請書の誤送付")
    page.get_by_label("発見日時").fill("令和7年10月1日 9:00")
    page.get_by_label("事態を知った日時").fill("令和7年10月1日 10:00")
    page.get_by_role("spinbutton", name="対象人数").fill("150")
    page.get_by_label("漏えい").check()
    page.get_by_label("児童手当事務").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/m/{municipality.code}/incidents/*/")
    incident = Incident.objects.get()
    assert page.url.endswith(f"/incidents/{incident.pk}/")
    expect_text(page, "申請書の誤送付", "個人情報保護委員会への報告が必要です", "確報期限", "令和7年10月31日",
                selector="main")
    expect_text(page, "本人の数が100人超", selector="section.assessment")


def test_admin_imports_a_workbook_fixes_the_bad_cell_edits_in_place_and_downloads(
        page, login, admin_user, municipality, process):
    login(admin_user)
    page.goto(f"/m/{municipality.code}/import/")
    bad = progress_sheet([["児童手当事務", "済", "", "", "", "", ""]])
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "前年度進捗.xlsx", "buffer": bad,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="取込").click()
    expect_text(page, "取込は行っていません", selector="section.report")
    error = page.locator("section.report tr.error-row").first.inner_text()
    assert "進捗状況" in error and "B6" in error and "読めません" in error
    assert not ProgressChange.objects.exists()

    good = progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]])
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "前年度進捗.xlsx", "buffer": good,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="取込").click()
    expect_text(page, "取り込みました。", selector="section.report")

    page.goto(f"/m/{municipality.code}/")
    cell = page.locator(f"#cell-{process.pk}-flow")
    expect_text(page, "〇", selector=f"#cell-{process.pk}-flow")
    risk = page.locator(f"#cell-{process.pk}-risk")
    risk.get_by_role("button").click()
    htmx_settled(page)  # as a person would: the picker is ready before it is used
    risk.get_by_role("combobox").select_option(label="△ 着手")
    expect_text(page, "△", selector=f"#cell-{process.pk}-risk")
    assert page.locator(f"#cell-{process.pk}-risk select").count() == 0  # back to the button
    assert ProgressChange.objects.filter(column="risk", status="started", source="web").count() == 1
    assert cell.inner_text().strip().startswith("〇")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excelでダウンロード").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    row = [c.value for c in sheet[6]]
    assert row[0] == "児童手当事務" and "〇" in row and "△" in row

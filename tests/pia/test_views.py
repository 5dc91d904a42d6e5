"""The PIA page, file/evaluation/change forms, the export and the draft download."""

import datetime as dt
import io

from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.core.wareki import format_date
from jichitai.pia.models import Evaluation, ImportantChange, SpiFile
from jichitai.processes.models import Process
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.pia.conftest import make_evaluation, make_file


def today():
    """Read at each use, not at import: a run may cross midnight in Asia/Tokyo (15:00 UTC)."""
    return timezone.localdate()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def test_page_lists_required_vs_done_and_flags(client_for, admin_user, municipality, process, incidents):
    overtaken = make_file(municipality, "児童手当情報ファイル", processes=[process], persons=52_000, handlers=620)
    make_evaluation(overtaken, "basic", submitted_on=ago(100), published_on=ago(90))
    make_file(municipality, "小規模ファイル", persons=800, handlers=3)
    html = client_for(admin_user).get(f"/m/{municipality.code}/pia/").content.decode()
    assert "基礎項目評価＋重点項目評価" in html and "特定個人情報保護評価に関する規則 第6条第1項" in html
    assert "しきい値判断の結果が実施済みの評価より上がっています" in html
    assert f"/m/{municipality.code}/processes/{process.pk}/" in html  # links the file's processes
    assert html.count('<tr class="attention">') == 1
    assert format_date(ago(90).replace(year=ago(90).year + 1)) in html  # yearly review due


def test_page_filters_and_sorts(client_for, admin_user, municipality, incidents):
    make_file(municipality, "Aファイル", persons=800)
    make_file(municipality, "Bファイル", persons=350_000)
    client = client_for(admin_user)
    response = client.get(f"/m/{municipality.code}/pia/?required=basic%2Bfull")
    assert [r.spi_file.name for r in response.context["rows"]] == ["Bファイル"]
    response = client.get(f"/m/{municipality.code}/pia/?sort=required")
    assert [r.spi_file.name for r in response.context["rows"]] == ["Bファイル", "Aファイル"]
    response = client.get(f"/m/{municipality.code}/pia/?flag=overdue")
    assert [r.spi_file.name for r in response.context["rows"]] == ["Bファイル"]  # required, never done


def _files(municipality, processes, n):
    for i in range(n):
        f = make_file(municipality, f"ファイル{i}", processes=processes, persons=20_000 + i)
        make_evaluation(f, "basic", submitted_on=ago(400))
        ImportantChange.objects.create(spi_file=f, changed_on=ago(10), description="変更")


def test_page_and_export_run_a_constant_number_of_queries(client_for, admin_user, municipality, process,
                                                          django_assert_max_num_queries, incidents):
    client = client_for(admin_user)
    other = Process.objects.create(municipality=municipality, name="別の事務")
    _files(municipality, [process], 2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(f"/m/{municipality.code}/pia/").status_code == 200
    _files_more = [make_file(municipality, f"追加{i}", processes=[process, other]) for i in range(12)]
    for f in _files_more:
        make_evaluation(f, "basic", submitted_on=ago(30))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/m/{municipality.code}/pia/").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/m/{municipality.code}/pia.xlsx").status_code == 200


def test_export_xlsx_matches_the_page(client_for, admin_user, municipality, process, incidents):
    f = make_file(municipality, "児童手当情報ファイル", processes=[process], persons=52_000, handlers=620)
    make_evaluation(f, "basic", submitted_on=ago(100))
    make_file(municipality, "小規模ファイル", persons=800)
    response = client_for(admin_user).get(f"/m/{municipality.code}/pia.xlsx?required=basic%2Bkey")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[4]][:7] == ["児童手当情報ファイル", "児童手当事務", 52_000, 620,
                                               "基礎項目評価＋重点項目評価", "特定個人情報保護評価に関する規則 第6条第1項",
                                               "基礎項目評価"]
    assert "しきい値判断の結果" in sheet.cell(row=4, column=11).value
    assert sheet.cell(row=5, column=1).value is None  # filtered out


def test_create_and_edit_a_file(client_for, admin_user, municipality, process, incidents):
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/pia/files/new/", {
        "name": "児童手当情報ファイル", "processes": [process.pk], "persons": "52000", "handlers": "120",
        "incident": "yes"})
    spi_file = SpiFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/m/{municipality.code}/pia/files/{spi_file.pk}/"
    assert spi_file.serious_incident_override is True and list(spi_file.processes.all()) == [process]
    page = client.get(response["Location"]).content.decode()
    assert "基礎項目評価＋重点項目評価" in page  # A from the override raises 10,000–99,999 to 重点項目評価
    client.post(f"/m/{municipality.code}/pia/files/{spi_file.pk}/edit/", {
        "name": "児童手当情報ファイル", "processes": [process.pk], "persons": "52000", "handlers": "120",
        "incident": ""})
    spi_file.refresh_from_db()
    assert spi_file.serious_incident_override is None
    assert list(AuditEntry.objects.filter(action__startswith="pia").order_by("id").values_list("action", flat=True)) == [
        "pia.file.create", "pia.file.update"]


def test_file_form_refuses_negative_counts_and_my_number(client_for, admin_user, municipality, other_municipality):
    foreign = Process.objects.create(municipality=other_municipality, name="よその事務")
    response = client_for(admin_user).post(f"/m/{municipality.code}/pia/files/new/", {
        "name": "ファイル", "persons": "-1", "handlers": "abc", "notes": FAKE_MY_NUMBER, "processes": [foreign.pk]})
    html = response.content.decode()
    assert response.status_code == 200 and not SpiFile.objects.exists()
    assert "対象人数は0以上の整数で入力してください。" in html and "取扱者数は0以上の整数で入力してください。" in html
    assert FAKE_MY_NUMBER not in html and "processes" in response.context["form"].errors


def test_evaluation_dates_out_of_order_are_refused_in_japanese(client_for, admin_user, municipality, incidents):
    spi_file = make_file(municipality)
    response = client_for(admin_user).post(f"/m/{municipality.code}/pia/files/{spi_file.pk}/evaluations/new/", {
        "kind": "basic+full", "comment_from": "2026-02-01", "comment_to": "2026-01-01", "submitted_on": "R8.3.10",
        "published_on": "2026-03-01"})
    html = response.content.decode()
    assert response.status_code == 200 and not Evaluation.objects.exists()
    assert "公表日が提出日より前です。" in html and "意見募集の終了日が開始日より前です。" in html


def test_evaluation_saved_with_guidance_warning(client_for, admin_user, municipality, incidents):
    spi_file = make_file(municipality, persons=350_000)
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/pia/files/{spi_file.pk}/evaluations/new/", {
        "kind": "basic+full", "comment_from": "R8.1.5", "comment_to": "2026-01-20", "third_party_review_on": "2026-02-01",
        "submitted_on": "2026-02-10", "published_on": "2026-02-20", "documents": "全項目評価書（書庫A）"}, follow=True)
    evaluation = Evaluation.objects.get()
    assert evaluation.comment_from == dt.date(2026, 1, 5) and evaluation.documents == "全項目評価書（書庫A）"
    assert "全項目評価の意見募集期間が16日です。" in response.content.decode()
    edit = client.post(f"/m/{municipality.code}/pia/evaluations/{evaluation.pk}/edit/", {
        "kind": "basic+full", "comment_from": "2026-01-05", "comment_to": "2026-02-03", "third_party_review_on": "2026-02-05",
        "submitted_on": "2026-02-10", "published_on": "2026-02-20"}, follow=True)
    evaluation.refresh_from_db()
    assert evaluation.comment_to == dt.date(2026, 2, 3) and "意見募集期間" not in edit.content.decode()


def test_important_change_then_marked_reevaluated(client_for, admin_user, municipality, incidents):
    spi_file = make_file(municipality)
    make_evaluation(spi_file, "basic", submitted_on=ago(200))
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/pia"
    client.post(f"{base}/files/{spi_file.pk}/changes/new/", {"changed_on": ago(10).isoformat(),
                                                             "description": "標準準拠システムへ移行"})
    change = ImportantChange.objects.get()
    assert "評価後に重要な変更があり" in client.get(f"{base}/files/{spi_file.pk}/").content.decode()
    client.post(f"{base}/changes/{change.pk}/edit/", {"changed_on": ago(10).isoformat(),
                                                       "description": "標準準拠システムへ移行", "reevaluated": "on"})
    assert "評価後に重要な変更があり" not in client.get(f"{base}/files/{spi_file.pk}/").content.decode()


def test_draft_download_and_refusal(client_for, admin_user, municipality, process, incidents):
    client = client_for(admin_user)
    spi_file = make_file(municipality, processes=[process])
    response = client.get(f"/m/{municipality.code}/pia/files/{spi_file.pk}/draft.docx")
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == "特定個人情報保護評価書（リスク対策）案"
    lonely = make_file(municipality, "職員ファイル")
    response = client.get(f"/m/{municipality.code}/pia/files/{lonely.pk}/draft.docx", follow=True)
    assert response.status_code == 200 and "事務が登録されていないため" in response.content.decode()


def test_viewer_sees_no_forms_and_outsider_cannot_reach_objects_through_own_code(
        client_for, viewer_user, outsider_user, municipality, incidents):
    spi_file = make_file(municipality)
    evaluation = make_evaluation(spi_file, "basic", submitted_on=ago(10))
    html = client_for(viewer_user).get(f"/m/{municipality.code}/pia/files/{spi_file.pk}/").content.decode()
    assert "/evaluations/new/" not in html and "/edit/" not in html
    own = outsider_user.memberships.get().municipality.code
    client = client_for(outsider_user)
    assert client.get(f"/m/{own}/pia/files/{spi_file.pk}/").status_code == 404
    assert client.post(f"/m/{own}/pia/evaluations/{evaluation.pk}/edit/", {"kind": "basic"}).status_code == 404

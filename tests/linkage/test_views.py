import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.linkage.models import LinkageItem, LinkageProfile, NumberSystem
from jichitai.linkage.sheet import export_bytes
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.linkage.conftest import make_item

ITEM = {"data_item": "生活保護関係情報", "direction": "inquiry", "counterpart": "市長（福祉課）",
        "counterpart_kind": "same_body_organ", "channel": "intra_office", "legal_basis": ""}


def page(client, municipality, process):
    return client.get(f"/m/{municipality.code}/processes/{process.pk}/linkage/").content.decode()


def test_page_highlights_items_with_problems(client_for, admin_user, municipality, process, ordinance):
    make_item(process, "住民票関係情報")
    make_item(process, "生活保護関係情報", position=1, channel="intra_office", counterpart_kind="same_body_organ")
    make_item(process, "就学援助関係情報", position=2, channel="intra_office", counterpart_kind="same_body_organ",
              ordinance=ordinance)
    NumberSystem.objects.create(municipality=municipality, name="福祉総合システム", stores_numbers=False).processes.set(
        [process])
    html = page(client_for(admin_user), municipality, process)
    assert html.count('<tr class="attention">') == 1
    assert "同一団体の他の機関との連携（庁内連携）に条例の定めがありません" in html
    assert "△ 着手" in html
    assert "整合性確認担当者）が決まっていません" in html  # the profile is missing
    assert "福祉総合システム（" in html  # the system serving it, marked as not storing numbers


def test_add_edit_and_delete_an_item(client_for, admin_user, municipality, process, ordinance):
    client = client_for(admin_user)
    base = f"/m/{municipality.code}"
    response = client.post(f"{base}/processes/{process.pk}/linkage/items/new/", ITEM)
    assert response.status_code == 302 and response["Location"] == f"{base}/processes/{process.pk}/linkage/"
    item = LinkageItem.objects.get()
    assert item.channel == "intra_office" and item.ordinance is None
    response = client.post(f"{base}/linkage/items/{item.pk}/edit/", ITEM | {"ordinance": ordinance.pk,
                                                                           "notes": "月次\r\n突合"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.ordinance == ordinance and item.notes == "月次\n突合"
    assert "△ 着手" not in page(client, municipality, process) and "〇 完了" in page(client, municipality, process)
    assert client.post(f"{base}/linkage/items/{item.pk}/delete/").status_code == 302
    assert not LinkageItem.objects.exists()
    assert list(AuditEntry.objects.filter(action__startswith="linkage").order_by("id").values_list(
        "action", flat=True)) == ["linkage.create", "linkage.update", "linkage.delete"]


def test_item_form_refuses_my_number_without_echo_and_foreign_ordinance(client_for, admin_user, municipality, process,
                                                                         other_municipality):
    from jichitai.processes.models import Ordinance

    foreign = Ordinance.objects.create(municipality=other_municipality, name="よその条例", article="第5条",
                                       effective_on="2016-01-01")
    response = client_for(admin_user).post(f"/m/{municipality.code}/processes/{process.pk}/linkage/items/new/",
                                           ITEM | {"notes": FAKE_MY_NUMBER, "ordinance": foreign.pk})
    html = response.content.decode()
    assert response.status_code == 200 and FAKE_MY_NUMBER not in html and "個人番号" in html
    assert "ordinance" in response.context["form"].errors
    assert not LinkageItem.objects.exists()


def test_outsider_cannot_reach_an_item_through_their_own_code(client_for, outsider_user, process):
    item = make_item(process)
    own = outsider_user.memberships.get().municipality.code
    client = client_for(outsider_user)
    assert client.get(f"/m/{own}/linkage/items/{item.pk}/edit/").status_code == 404
    assert client.post(f"/m/{own}/linkage/items/{item.pk}/delete/").status_code == 404
    assert client.get(f"/m/{own}/processes/{process.pk}/linkage/").status_code == 404
    assert LinkageItem.objects.count() == 1


def test_profile_form(client_for, admin_user, municipality, other_municipality, process):
    make_item(process)
    checker = Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler")
    foreign = Staff.objects.create(municipality=other_municipality, staff_number="S9", name="よその人", role="handler")
    client = client_for(admin_user)
    url = f"/m/{municipality.code}/processes/{process.pk}/linkage/profile/"
    bad = client.post(url, {"consistency_checker": foreign.pk, "trouble_procedure": "手順"})
    assert bad.status_code == 400 and not LinkageProfile.objects.exists()
    ok = client.post(url, {"consistency_checker": checker.pk, "trouble_procedure": "本人に書類を求める",
                           "wrong_data_procedure": "提供元に確認する"})
    assert ok.status_code == 302
    profile = LinkageProfile.objects.get()
    assert profile.consistency_checker == checker and profile.wrong_data_procedure == "提供元に確認する"
    assert "整合性確認担当者）が決まっていません" not in page(client, municipality, process)


def test_viewer_sees_the_profile_but_no_forms(client_for, viewer_user, municipality, process):
    make_item(process)
    LinkageProfile.objects.create(process=process, trouble_procedure="本人に書類を求める")
    html = page(client_for(viewer_user), municipality, process)
    assert "本人に書類を求める" in html and 'enctype="multipart/form-data"' not in html and "/items/new/" not in html


def test_upload_and_download_the_sheet(client_for, admin_user, municipality, process):
    client = client_for(admin_user)
    make_item(process, "地方税関係情報")
    data = export_bytes(process)
    download = client.get(f"/m/{municipality.code}/processes/{process.pk}/linkage.xlsx")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(download.content)).active["A3"].value == "地方税関係情報"
    LinkageItem.objects.all().delete()
    url = f"/m/{municipality.code}/processes/{process.pk}/linkage/import/"
    response = client.post(url, {"file": SimpleUploadedFile("linkage.xlsx", data)})
    assert response.status_code == 200 and "地方税関係情報" in response.content.decode()
    assert LinkageItem.objects.get().data_item == "地方税関係情報"
    broken = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"not excel")})
    assert broken.status_code == 400 and "ファイルを Excel ブック" in broken.content.decode()
    assert LinkageItem.objects.count() == 1


def test_systems_page_flags_filters_sorts_and_exports(client_for, admin_user, municipality, process):
    unbased = Process.objects.create(municipality=municipality, name="ひとり親家庭等医療費助成事務",
                                     systems="福祉総合システム、税務システム")
    process.systems = "税務システム"
    process.save()
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/systems"
    assert client.post(f"{base}/sync/").status_code == 302
    NumberSystem.objects.create(municipality=municipality, name="帳票システム", stores_numbers=False).processes.set(
        [unbased])
    html = client.get(f"{base}/").content.decode()
    assert html.count('<tr class="attention">') == 2  # the 帳票 system does not store numbers
    response = client.get(f"{base}/?flagged=on&sort=-processes")
    assert [s.name for s in response.context["systems"]] == ["税務システム", "福祉総合システム"]
    assert [s.name for s in client.get(f"{base}/?stores=no").context["systems"]] == ["帳票システム"]
    assert [s.name for s in client.get(f"{base}/?q=福祉").context["systems"]] == ["福祉総合システム"]
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?flagged=on&sort=-processes").content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        ["税務システム", "〇", "ひとり親家庭等医療費助成事務\n児童手当事務", "ひとり親家庭等医療費助成事務", None],
        ["福祉総合システム", "〇", "ひとり親家庭等医療費助成事務", "ひとり親家庭等医療費助成事務", None]]
    assert sheet.page_setup.orientation == "landscape"


def test_system_form_edits_processes(client_for, admin_user, municipality, process):
    system = NumberSystem.objects.create(municipality=municipality, name="税務システム")
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/systems/{system.pk}/edit/",
                           {"name": "税務システム", "processes": [process.pk], "notes": "改修済み"})
    assert response.status_code == 302
    system.refresh_from_db()
    assert not system.stores_numbers and list(system.processes.all()) == [process] and system.notes == "改修済み"
    duplicate = client.post(f"/m/{municipality.code}/systems/new/", {"name": "税務システム"})
    assert duplicate.status_code == 200 and NumberSystem.objects.count() == 1


# ---- Query budgets: the same number of queries for a small and a large process or register ----

def _fill(municipality, process, start: int, size: int) -> None:
    """`size` more items on the process, processes with systems, and people to choose a checker from."""
    from jichitai.linkage.services import sync_systems_from_register

    for i in range(start, start + size):
        make_item(process, f"項目{i}", position=i, channel="intra_office" if i % 2 else "network")
        Process.objects.create(municipality=municipality, name=f"事務{i}", systems=f"システム{i}、共通基盤")
    Staff.objects.bulk_create(Staff(municipality=municipality, staff_number=f"S{i}", name=f"職員{i}", role="handler")
                              for i in range(start, start + size))
    sync_systems_from_register(municipality)


# session, user, municipality, write check, the menu's read of roles (pages), then the page's own queries
BUDGETS = {
    "/m/{code}/processes/{pk}/linkage/": 10,
    "/m/{code}/processes/{pk}/linkage.xlsx": 6,
    "/m/{code}/processes/{pk}/linkage/items/new/": 9,
    "/m/{code}/systems/": 7,
    "/m/{code}/systems.xlsx": 6,
}


@pytest.mark.parametrize("path", sorted(BUDGETS))
def test_pages_run_a_fixed_number_of_queries(client_for, admin_user, municipality, process, path):
    client = client_for(admin_user)
    counts = []
    for start, size in ((0, 2), (2, 30)):
        _fill(municipality, process, start, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path.format(code=municipality.code, pk=process.pk))
        assert response.status_code == 200
        counts.append(len(queries))
    assert LinkageItem.objects.count() == 32 and NumberSystem.objects.count() == 33
    assert counts[0] == counts[1] <= BUDGETS[path], (counts, [q["sql"] for q in queries.captured_queries])

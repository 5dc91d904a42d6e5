"""No 500s (issue 10): the requests the issue found answering 500, the error pages when not debugging, fiscal
years outside 1989–2100, dates outside 1868–2100, and the commands on a database that was never migrated.
The crawler (tests/test_crawler.py) covers every route; these pin the cases the issue names."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.test import override_settings

from jichitai.cloud.forms import SystemForm
from jichitai.core.validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from jichitai.core.wareki import (
    DateParseError,
    fiscal_year_label,
    format_wareki,
    format_wareki_short,
    parse_date,
)
from jichitai.planning.models import ActionItem, Issue, Workshop

D = dt.date


@pytest.fixture
def member(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def workshop(association):
    workshop = Workshop.objects.create(association=association, name="課題分析", published=True)
    Issue.objects.create(workshop=workshop, position=1, title="規程類の整理")
    return workshop


# ---- the issue's 500s --------------------------------------------------------------------------------------


def test_get_on_new_step_is_405_not_a_server_error(member, municipality, process):
    response = member.get(f"/m/{municipality.code}/processes/{process.pk}/steps/new/")
    assert response.status_code == 405


def test_refused_new_step_renders_its_form_again(member, municipality, process):
    response = member.post(f"/m/{municipality.code}/processes/{process.pk}/steps/new/", {"order": "abc"})
    assert response.status_code == 400
    assert f"/processes/{process.pk}/steps/new/" in response.content.decode()


def test_new_step_is_404_to_the_outsider(client, outsider_user, municipality, process):
    client.force_login(outsider_user)
    assert client.get(f"/m/{municipality.code}/processes/{process.pk}/steps/new/").status_code == 404


@pytest.mark.parametrize("year", [0, 1, 1900, 1988, 2101, 99999])
def test_training_plan_of_an_impossible_fiscal_year_is_404(member, municipality, year):
    assert member.get(f"/m/{municipality.code}/training/plans/{year}/").status_code == 404
    assert member.post(f"/m/{municipality.code}/training/plans/{year}/").status_code == 404
    assert member.get(f"/m/{municipality.code}/training/plans/{year}/items/new/").status_code == 404


@pytest.mark.parametrize("fy", [FISCAL_YEAR_MIN, FISCAL_YEAR_MAX])
def test_training_plan_at_the_ends_of_the_range(member, municipality, fy):
    assert member.get(f"/m/{municipality.code}/training/plans/{fy}/").status_code == 200


@pytest.mark.parametrize("as_of", ["0001-01-01", "1900-01-01", "1867-12-31", "9999-12-31", "2101-01-01"])
@pytest.mark.parametrize("page", ["/m/{code}/training/", "/m/{code}/checklist/", "/m/{code}/progress.xlsx",
                                  "/m/{code}/", "/m/{code}/training/status.xlsx"])
def test_as_of_out_of_range_falls_back_to_today(member, municipality, page, as_of):
    response = member.get(page.format(code=municipality.code), {"as_of": as_of})
    assert response.status_code == 200
    if page.endswith("/") and as_of != "1900-01-01":  # 1900 is in range (1868–2100): shown as 1900年
        # the form says why the date was not used
        assert "1868年から2100年まで" in response.content.decode()


@pytest.mark.parametrize("as_of", ["0001-01-01", "1900-01-01"])
def test_association_pages_with_an_old_as_of(client, secretariat_user, association, municipality, as_of):
    client.force_login(secretariat_user)
    for page in ("/a/{a}/checklist/", "/a/{a}/", "/a/{a}/progress.xlsx"):
        assert client.get(page.format(a=association.pk), {"as_of": as_of}).status_code == 200


@pytest.mark.parametrize("fiscal_year", ["0", "1", "1988", "2101", "99999"])
def test_plan_refuses_a_fiscal_year_out_of_range(client, secretariat_user, workshop, fiscal_year):
    client.force_login(secretariat_user)
    issue = workshop.issues.get()
    url = f"/a/{workshop.association_id}/workshops/{workshop.pk}/plan/"
    response = client.post(url, {"issue": issue.pk, "fiscal_year": fiscal_year, "half": "first", "text": "計画",
                                 "status": "not_started"})
    assert response.status_code == 200  # the form again, with the error
    assert not ActionItem.objects.exists()
    assert client.get(url).status_code == 200
    assert client.get(url.replace("plan/", "plan.xlsx")).status_code == 200


def test_plan_pages_survive_a_fiscal_year_stored_before_the_range(client, secretariat_user, admin_user, workshop):
    """Rows stored before the validator existed (fiscal_year=1) no longer break the page for everyone."""
    issue = workshop.issues.get()
    ActionItem.objects.bulk_create([ActionItem(issue=issue, fiscal_year=1, half="first", text="古い行"),
                                    ActionItem(issue=issue, fiscal_year=2026, half="first", text="今の行")])
    url = f"/a/{workshop.association_id}/workshops/{workshop.pk}/plan"
    for user in (secretariat_user, admin_user):
        client.force_login(user)
        assert client.get(url + "/").status_code == 200
        assert client.get(url + ".xlsx").status_code == 200


@pytest.mark.parametrize("value", ["1", "1988", "2101", "R99"])
def test_system_form_refuses_a_fiscal_year_out_of_range(municipality, value):
    form = SystemForm({"name": "基幹系", "category": "住記", "contract_end_fy": value}, municipality=municipality)
    assert not form.is_valid()
    assert "contract_end_fy" in form.errors


# ---- hostile values in forms and the API --------------------------------------------------------------------


def test_incident_form_refuses_year_1(member, municipality):
    response = member.post(f"/m/{municipality.code}/incidents/new/", {
        "title": "誤送付", "discovered_at": "0001-01-01T00:00", "known_at": "0001-01-01T00:00"})
    assert response.status_code == 200
    assert "1868年から2100年まで" in response.content.decode()


def test_incident_api_refuses_year_1(member, municipality):
    response = member.post(f"/api/v1/municipalities/{municipality.code}/incidents",
                           {"title": "誤送付", "discovered_at": "0001-01-01T00:00:00",
                            "known_at": "2026-04-01T10:00:00"}, content_type="application/json")
    assert response.status_code == 400
    assert "1868" in response.json()["detail"][0]


def test_multiple_choice_with_an_id_too_big_for_the_database(member, municipality):
    response = member.post(f"/m/{municipality.code}/incidents/new/", {
        "title": "誤送付", "discovered_at": "2026-04-01T10:00", "known_at": "2026-04-01T10:00",
        "processes": "99999999999999999999"})
    assert response.status_code == 200  # the form again, with the error


# ---- 和暦 at the edges --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0001-01-01", "1867-12-31", "9999-12-31", "2101-01-01", "令和99年1月1日",
                                  "令和99年13月45日", "平成0年1月1日", "R0.1.1"])
def test_parse_date_refuses_out_of_range_and_nonsense(text):
    with pytest.raises(DateParseError):
        parse_date(text)


@pytest.mark.parametrize("text", ["1868-01-01", "2100-12-31", "1900-01-01"])
def test_parse_date_accepts_the_ends_of_the_range(text):
    assert parse_date(text) == D.fromisoformat(text)


@pytest.mark.parametrize(("day", "expected"), [(D(1, 1, 1), "1年1月1日"), (D(1900, 1, 1), "1900年1月1日"),
                                               (D(9999, 12, 31), "令和7981年12月31日")])
def test_format_wareki_never_fails(day, expected):
    assert format_wareki(day) == expected


@pytest.mark.parametrize(("year", "expected"), [(0, "0年度"), (1, "1年度"), (1900, "1900年度"), (99999, "99999年度"),
                                                (9999, "令和7981年度（9999年度）")])
def test_fiscal_year_label_never_fails(year, expected):
    assert fiscal_year_label(year) == expected


def test_format_wareki_short_before_showa_reads_back():
    assert format_wareki_short(D(1900, 1, 1)) == "1900-01-01"
    assert parse_date(format_wareki_short(D(1900, 1, 1))) == D(1900, 1, 1)


# ---- error pages when not debugging ---------------------------------------------------------------------------


@override_settings(DEBUG=False)
def test_missing_page_is_the_japanese_404(member):
    response = member.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "ページが見つかりません" in body and '<html lang="ja">' in body
    assert "Traceback" not in body and "URLconf" not in body


@override_settings(DEBUG=False)
def test_missing_object_is_the_japanese_404(member, municipality):
    response = member.get(f"/m/{municipality.code}/processes/999999/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


@override_settings(DEBUG=False)
def test_refused_write_is_the_japanese_403(client, secretariat_user, municipality):
    client.force_login(secretariat_user)
    response = client.post(f"/m/{municipality.code}/processes/new/", {"name": "事務", "registered_on": "2026-04-01"})
    assert response.status_code == 403
    assert "アクセスできません" in response.content.decode()


@override_settings(DEBUG=False)
def test_exception_is_the_japanese_500_without_a_traceback(client, admin_user):
    client.force_login(admin_user)
    client.raise_request_exception = False
    with mock.patch("jichitai.todo.views.HomeView.get", side_effect=RuntimeError("secret detail")):
        response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "サーバーでエラーが発生しました" in body
    assert "secret detail" not in body and "Traceback" not in body and "RuntimeError" not in body


@override_settings(DEBUG=False)
def test_api_exception_is_json_with_a_japanese_detail(client, admin_user):
    client.force_login(admin_user)
    client.raise_request_exception = False
    with mock.patch("jichitai.api.municipalities.municipality_out", side_effect=RuntimeError("secret detail")):
        response = client.get("/api/v1/municipalities")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "サーバーでエラーが発生しました。時間をおいてもう一度お試しください。"}


@override_settings(DEBUG=False)
def test_unknown_api_path_is_json_with_a_japanese_detail(member):
    response = member.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "見つかりません。"}


# ---- commands on a database that was never migrated ------------------------------------------------------------


def test_command_on_an_unmigrated_database_says_to_migrate(tmp_path):
    from jichitai.demo.builder import seed_workbook

    workbook = tmp_path / "x.xlsx"
    workbook.write_bytes(seed_workbook(D(2026, 4, 1)))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"JICHITAI_DATA_DIR": str(tmp_path), "JICHITAI_DEBUG": "1"}
    script = Path(sys.executable).with_name("jichitai")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jichitai.cli"]
    for args in (["import", str(workbook), "--municipality", "992011"], ["checklist", "--municipality", "992011"],
                 ["progress", "--municipality", "992011", "--format", "json"]):
        result = subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 2, (args, result.stderr[-2000:])
        lines = result.stderr.strip().splitlines()
        assert lines == ["データベースが初期化されていません（または更新が必要です）。先に `jichitai migrate` を実行してください。"], \
            (args, result.stderr[-2000:])
        assert "Traceback" not in result.stderr + result.stdout


def test_a_nul_character_in_an_api_body_is_refused_not_a_database_error(member, process):
    """PostgreSQL cannot store NUL in text: the API refuses it like Django's forms do, with a 400."""
    response = member.post(f"/api/v1/processes/{process.pk}/handling-rows", content_type="application/json",
                           data={"row_id": "1-1", "asset_name": "a\x00b", "kind": "paper", "stage": "acquire",
                                 "confidentiality": 1, "integrity": 1, "availability": 1})
    assert response.status_code == 400, response.content
    assert "NUL" in response.json()["detail"][0]

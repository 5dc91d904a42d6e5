from decimal import Decimal

import pytest

from jichitai.exchange.imports import run_import
from jichitai.handling.models import HandlingRow
from jichitai.processes.models import Process
from jichitai.risk.models import RiskRow
from tests import seed_sheets as seed


@pytest.fixture
def documented(municipality, beppyo):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS)
    Process.objects.create(municipality=municipality, name="未分析の事務")
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok
    return process


def test_municipality_risk_page(client_for, admin_user, municipality, documented):
    html = client_for(admin_user).get(f"/m/{municipality.code}/risk/").content.decode()
    assert "未分析の事務" in html  # listed among processes without analysis
    # Heat map: all five rows have vulnerability 2 and threat 2.
    assert ">5</td>" in html
    assert html.index("1-2") < html.index("1-5")  # residual 8 before 6


def test_settings_change_recomputes_members(client_for, secretariat_user, association, municipality, documented):
    response = client_for(secretariat_user).post(f"/a/{association.pk}/risk/settings/",
                                                 {"asset_value_method": "max", "acceptance_level": 6})
    assert response.status_code == 302
    row = HandlingRow.objects.get(row_id="1-2")
    risk = RiskRow.objects.get(handling_row=row)
    assert (row.asset_value, risk.total, risk.residual) == (3, 12, Decimal("6"))
    html = client_for(secretariat_user).get(f"/a/{association.pk}/risk/").content.decode()
    assert municipality.name in html and "<td class=\"num\">5</td>" in html
    from jichitai.orgs.models import Municipality

    Municipality.objects.create(code="992038", name="あとの町", association=association)
    by_rows = client_for(secretariat_user).get(f"/a/{association.pk}/risk/?sort=rows").content.decode()
    assert by_rows.index(municipality.name) < by_rows.index("あとの町")
    by_code = client_for(secretariat_user).get(f"/a/{association.pk}/risk/?sort=name").content.decode()
    assert by_code.index("あとの町") < by_code.index(municipality.name)


def test_settings_form_errors(client_for, secretariat_user, association):
    response = client_for(secretariat_user).post(f"/a/{association.pk}/risk/settings/",
                                                 {"asset_value_method": "guess", "acceptance_level": -1})
    assert response.status_code == 200 and "error" in response.content.decode()


def test_risk_pages_query_count_is_constant(client_for, admin_user, secretariat_user, municipality, association,
                                           beppyo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.handling.test_views import _seed_rows

    counts = {"municipality": [], "association": []}
    for n in (10, 2000):
        _seed_rows(Process.objects.create(municipality=municipality, name=f"事務{n}"), n)
        for key, user, path in (("municipality", admin_user, f"/m/{municipality.code}/risk/"),
                                ("association", secretariat_user, f"/a/{association.pk}/risk/")):
            client = client_for(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts[key].append(len(queries))
    assert counts["municipality"][0] == counts["municipality"][1] <= 10, counts
    assert counts["association"][0] == counts["association"][1] <= 8, counts

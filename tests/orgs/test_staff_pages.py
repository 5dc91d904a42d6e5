"""The staff, department and ordinance pages: filters, the export, each person's history, and a query count that
does not grow with the number of people, sections or ordinances."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.orgs import services
from jichitai.processes import services as process_services

D = dt.date
PAGES = ["/m/{code}/staff/", "/m/{code}/staff/?as_of=R7.4.1&retired=on&sort=department",
         "/m/{code}/staff.xlsx", "/m/{code}/departments/", "/m/{code}/departments/?as_of=R6.4.1&abolished=on",
         "/m/{code}/ordinances/"]


def _populate(municipality, n):
    departments = [services.create_department(actor=None, via="command", municipality=municipality, name=f"課{n}-{i}")
                   for i in range(n)]
    for i in range(n * 3):
        person = services.create_staff(actor=None, via="command", municipality=municipality,
                                       staff_number=f"N{n}-{i:03}", name=f"職員 {i}", role="handler",
                                       department=departments[i % n], valid_from=D(2020, 4, 1))
        if i % 3 == 1:
            services.reassign_staff(actor=None, via="command", staff=person, department=departments[0], role="it",
                                    on=D(2024, 4, 1))
        if i % 3 == 2:
            services.retire_staff(actor=None, via="command", staff=person, on=D(2025, 3, 31))
    services.rename_department(actor=None, via="command", department=departments[-1], name=f"新課{n}",
                               on=D(2024, 4, 1))
    for i in range(n):
        process_services.create_ordinance(actor=None, via="command", municipality=municipality, name=f"条例{n}",
                                          article=f"第{i + 1}条", effective_on=D(2016, 1, 1))


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow(client_for, admin_user, municipality, other_municipality, page):
    client = client_for(admin_user)
    counts = []
    for n in (2, 12):
        _populate(municipality, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.format(code=municipality.code)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 12, counts


def test_staff_list_filters_sorts_and_exports(client_for, admin_user, municipality):
    tax = services.create_department(actor=None, via="web", municipality=municipality, name="税務課")
    a = services.create_staff(actor=None, via="web", municipality=municipality, staff_number="A1", name="在職 一郎",
                              role="handler", department=tax)
    b = services.create_staff(actor=None, via="web", municipality=municipality, staff_number="B2", name="退職 二郎",
                              role="it", department=tax)
    services.retire_staff(actor=None, via="web", staff=b, on=D(2025, 3, 31))
    client = client_for(admin_user)
    page = client.get(f"/m/{municipality.code}/staff/").content.decode()
    assert "在職 一郎" in page and "退職 二郎" not in page
    page = client.get(f"/m/{municipality.code}/staff/?retired=on").content.decode()
    assert "退職 二郎" in page and "退職（令和7年3月31日）" in page
    page = client.get(f"/m/{municipality.code}/staff/?as_of=R7.3.31").content.decode()
    assert "退職 二郎" in page and "令和7年3月31日現在" in page
    assert "在職 一郎" not in client.get(f"/m/{municipality.code}/staff/?role=it&retired=on").content.decode()
    response = client.get(f"/m/{municipality.code}/staff.xlsx?retired=on&sort=name")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet.cell(row=r, column=2).value for r in (5, 6)] == ["在職 一郎", "退職 二郎"]
    assert sheet.cell(row=6, column=6).value == "令和7年3月31日"
    detail = client.get(f"/m/{municipality.code}/staff/{a.pk}/").content.decode()
    assert "所属・役割の履歴" in detail and "記録開始前" in detail
    response = client.get(f"/m/{municipality.code}/staff/?as_of=R50.1.1")
    assert response.status_code == 200 and "将来の日付" in response.content.decode()


def test_staff_pages_take_wareki_and_show_history(client_for, admin_user, municipality):
    tax = services.create_department(actor=None, via="web", municipality=municipality, name="税務課")
    welfare = services.create_department(actor=None, via="web", municipality=municipality, name="福祉課")
    person = services.create_staff(actor=None, via="web", municipality=municipality, staff_number="A1",
                                   name="山田 花子", role="handler", department=tax)
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/staff/{person.pk}"
    assert client.post(f"{base}/transfer/", {"department": welfare.pk, "role": "handler", "on": "R7.4.1"}
                       ).status_code == 302
    assert client.post(f"{base}/edit/", {"staff_number": "A1", "name": "山田 華子"}).status_code == 302
    response = client.post(f"{base}/retire/", {"on": "令和6年3月31日"})
    assert "退職日は現在の所属の開始日（令和7年4月1日）以降" in response.content.decode()
    detail = client.get(f"{base}/").content.decode()
    assert "山田 華子" in detail and "令和7年4月1日" in detail and "福祉課" in detail and "税務課" in detail
    abolish = client.post(f"/m/{municipality.code}/departments/{welfare.pk}/abolish/", {"on": "R8.4.1"})
    assert "廃止できません" in abolish.content.decode()

"""The association page at prefecture size: filtered by name, code and prefecture, sorted on the server, a page
of rows at a time; the totals and the export cover every member the filter keeps."""

import io

import pytest
from openpyxl import load_workbook

from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Municipality
from jichitai.processes.models import Process
from jichitai.processes.views import AssociationView


@pytest.fixture
def members(association, municipality):
    """テスト市 (prefecture 99) and two more: one under 東京都's number, one under 99."""
    made = [municipality]
    for code, name in (("13101", "みなと区"), ("99205", "あおば町")):
        made.append(Municipality.objects.create(code=with_check_digit(code), name=name, association=association))
    for member in made:
        Process.objects.create(municipality=member, name=f"{member.name}の事務")
    return made


def names(response) -> list[str]:
    return [s.municipality.name for s in response.context["summaries"]]


def test_pages_of_rows_with_totals_over_all(client_for, secretariat_user, association, members, monkeypatch):
    monkeypatch.setattr(AssociationView, "PER_PAGE", 2)
    client = client_for(secretariat_user)
    first = client.get(f"/a/{association.pk}/?sort=name")
    assert first.context["is_paginated"] and len(names(first)) == 2 and first.context["members"] == 3
    assert sum(first.context["overall"]["flow"].values()) == 3  # the totals count every member, not the page
    second = client.get(f"/a/{association.pk}/?sort=name&page=2")
    assert len(names(second)) == 1 and set(names(first) + names(second)) == {m.name for m in members}
    assert "page=2" in first.content.decode()  # the link to the next page keeps the sort
    assert client.get(f"/a/{association.pk}/?page=999").status_code == 200  # past the end: the last page


def test_filter_by_name_code_and_prefecture(client_for, secretariat_user, association, members):
    client = client_for(secretariat_user)
    assert names(client.get(f"/a/{association.pk}/?q=みなと")) == ["みなと区"]
    assert names(client.get(f"/a/{association.pk}/?q={members[2].code}")) == ["あおば町"]
    page = client.get(f"/a/{association.pk}/?prefecture=13")
    assert names(page) == ["みなと区"]
    assert "東京都" in page.content.decode() and "架空の県（99）" in page.content.decode()
    assert sorted(names(client.get(f"/a/{association.pk}/?prefecture=99"))) == ["あおば町", "テスト市"]
    refused = client.get(f"/a/{association.pk}/?prefecture=東京")
    assert refused.status_code == 200 and len(names(refused)) == 3  # an invalid filter is shown and ignored


def test_the_export_has_every_member_the_filter_keeps(client_for, secretariat_user, association, members,
                                                      monkeypatch):
    monkeypatch.setattr(AssociationView, "PER_PAGE", 1)
    response = client_for(secretariat_user).get(f"/a/{association.pk}/progress.xlsx?prefecture=99")
    cells = [c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    assert "あおば町" in cells and "テスト市" in cells and "みなと区" not in cells

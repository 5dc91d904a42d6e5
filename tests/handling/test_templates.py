from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.models import AuditEntry
from jichitai.exchange.imports import run_import
from jichitai.handling.models import FlowStep, HandlingRow, ProcessTemplate
from jichitai.handling.services import copy_template, publish_template
from jichitai.orgs.models import Municipality
from jichitai.processes.models import Process
from jichitai.risk.models import RiskRow
from tests import seed_sheets as seed
from tests.conftest import make_user


@pytest.fixture
def source(municipality, beppyo):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS)
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok
    FlowStep.objects.create(process=process, order=1, lane="resident", action="減免申請書を提出")
    return process


@pytest.fixture
def sibling(association):
    return Municipality.objects.create(code="992038", name="となり町", association=association)


def test_publish_and_copy_through_the_pages(client_for, secretariat_user, association, source, sibling):
    response = client_for(secretariat_user).post(f"/a/{association.pk}/templates/", {
        "process": source.pk, "name": "軽自動車税の減免申請", "description": "seed の例"})
    assert response.status_code == 302
    template = ProcessTemplate.objects.get()
    assert len(template.payload["rows"]) == 5 and len(template.payload["steps"]) == 1
    target = Process.objects.create(municipality=sibling, name="軽自動車税減免事務")
    editor = make_user("tonari", "editor", municipality=sibling)
    listing = client_for(editor).get(f"/m/{sibling.code}/templates/").content.decode()
    assert "軽自動車税の減免申請" in listing and "軽自動車税減免事務" in listing
    response = client_for(editor).post(f"/m/{sibling.code}/templates/{template.pk}/copy/", {"process": target.pk})
    assert response.status_code == 302
    rows = {r.row_id: r for r in HandlingRow.objects.filter(process=target)}
    assert sorted(rows) == ["1-2", "1-3", "1-4", "1-5", "1-6"]
    risk = RiskRow.objects.get(handling_row=rows["1-2"])
    assert (risk.total, risk.residual) == (16, Decimal("8")) and risk.countermeasures.count() == 2
    assert AuditEntry.objects.filter(action="template.copy", municipality=sibling).count() == 1
    # A copy, not a link: editing the copy leaves the template and the source alone.
    rows["1-2"].asset_name = "変更後"
    rows["1-2"].save()
    assert ProcessTemplate.objects.get().payload["rows"][0]["asset_name"] == "減免申請書"


def test_copy_refuses_a_process_that_already_has_tables(secretariat_user, association, source):
    template = publish_template(actor=secretariat_user, via="web", association=association, process=source,
                                name="ひな形")
    with pytest.raises(ValidationError):
        copy_template(actor=None, via="web", template=template, process=source)


def test_outsider_cannot_copy_another_associations_template(client_for, outsider_user, other_municipality,
                                                             secretariat_user, association, source):
    template = publish_template(actor=secretariat_user, via="web", association=association, process=source,
                                name="ひな形")
    target = Process.objects.create(municipality=other_municipality, name="よその事務")
    response = client_for(outsider_user).post(f"/m/{other_municipality.code}/templates/{template.pk}/copy/",
                                              {"process": target.pk})
    assert response.status_code == 404 and not HandlingRow.objects.filter(process=target).exists()

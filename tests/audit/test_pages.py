"""The association's audit page (its secretariat) and the operator's page (the whole log, filtered, .xlsx)."""

from django.contrib.auth import get_user_model

from jichitai.audit.services import record, record_operation
from jichitai.orgs.models import Membership


def test_association_page_shows_its_own_entries(client_for, secretariat_user, association, municipality):
    record(actor=None, via="command", action="risk.settings", obj=association, association=association)
    record(actor=None, via="command", action="municipality.update", obj=municipality, municipality=municipality)
    body = client_for(secretariat_user).get(f"/a/{association.pk}/audit/").content.decode()
    assert "risk.settings" in body and "municipality.update" not in body


def test_operator_page_filters_sorts_and_exports(client, municipality, association, admin_user):
    operator = get_user_model().objects.create_user(username="ops", password="x")
    Membership.objects.create(user=operator, role=Membership.Role.OPERATOR)
    record(actor=None, via="command", action="risk.settings", obj=association, association=association)
    record(actor=None, via="command", action="municipality.update", obj=municipality, municipality=municipality)
    record_operation(actor=None, via="command", action="backup.create", after={"file": "f"})
    client.force_login(operator)
    body = client.get("/audit/").content.decode()
    assert all(a in body for a in ("risk.settings", "municipality.update", "backup.create"))
    body = client.get("/audit/", {"municipality": municipality.code, "sort": "at"}).content.decode()
    assert "municipality.update" in body and "backup.create" not in body
    response = client.get("/audit.xlsx", {"action": "backup"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    client.force_login(admin_user)
    assert client.get("/audit/").status_code == 404

"""The association's audit page (its secretariat) and the operator's page (the whole log, filtered, .xlsx)."""

from django.contrib.auth import get_user_model

from jichitai.audit.services import record, record_operation
from jichitai.orgs.models import Membership


def test_association_page_shows_its_own_entries(client_for, secretariat_user, association, municipality):
    record(actor=None, via="command", action="risk.settings", obj=association, association=association)
    record(actor=None, via="command", action="municipality.update", obj=municipality, municipality=municipality)
    body = client_for(secretariat_user).get(f"/a/{association.pk}/audit/").content.decode()
    assert "リスク評価の設定変更" in body and "団体の変更" not in body


def test_operator_page_filters_sorts_and_exports(client, municipality, association, admin_user):
    operator = get_user_model().objects.create_user(username="ops", password="x")
    Membership.objects.create(user=operator, role=Membership.Role.OPERATOR)
    record(actor=None, via="command", action="risk.settings", obj=association, association=association)
    record(actor=None, via="command", action="municipality.update", obj=municipality, municipality=municipality)
    record_operation(actor=None, via="command", action="backup.create", after={"file": "f"})
    client.force_login(operator)
    body = client.get("/audit/").content.decode()
    assert all(a in body for a in ("リスク評価の設定変更", "団体の変更", "バックアップの作成", "ファイル: f"))
    body = client.get("/audit/", {"municipality": municipality.code, "sort": "at"}).content.decode()
    assert "団体の変更" in body and "バックアップの作成" not in body
    response = client.get("/audit.xlsx", {"action": "backup"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    client.force_login(admin_user)
    assert client.get("/audit/").status_code == 404

"""Ordinances: in force from the 施行日 to the day before the repeal, amendments recorded, a referenced ordinance
repealed but never deleted, every change audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.models import AuditEntry
from jichitai.processes import services
from jichitai.processes.models import Ordinance, OrdinanceAmendment, Process
from jichitai.processes.rules import ordinance_in_force

D = dt.date


def test_in_force_from_the_effective_day_until_the_day_before_the_repeal():
    assert not ordinance_in_force(D(2016, 1, 1), None, D(2015, 12, 31))
    assert ordinance_in_force(D(2016, 1, 1), None, D(2016, 1, 1))
    assert ordinance_in_force(D(2016, 1, 1), D(2026, 4, 1), D(2026, 3, 31))
    assert not ordinance_in_force(D(2016, 1, 1), D(2026, 4, 1), D(2026, 4, 1))
    assert not ordinance_in_force(None, None, D(2026, 4, 1))


@pytest.fixture
def ordinance(municipality):
    return services.create_ordinance(actor=None, via="web", municipality=municipality, name="テスト市個人番号条例",
                                     article="第4条", effective_on=D(2016, 1, 1))


def test_amend_repeal_and_edit_are_audited(municipality, ordinance):
    services.amend_ordinance(actor=None, via="web", ordinance=ordinance, amended_on=D(2023, 4, 1),
                             articles="第4条第2項", summary="対象事務を追加")
    services.repeal_ordinance(actor=None, via="web", ordinance=ordinance, on=D(2026, 4, 1))
    services.update_ordinance(actor=None, via="web", ordinance=ordinance, notes="令和8年条例第3号により廃止")
    assert OrdinanceAmendment.objects.get(ordinance=ordinance).articles == "第4条第2項"
    assert Ordinance.objects.get(pk=ordinance.pk).repealed_on == D(2026, 4, 1)
    actions = list(AuditEntry.objects.filter(municipality=municipality).order_by("id").values_list("action", "after"))
    assert [a for a, _ in actions] == ["ordinance.create", "ordinance.amend", "ordinance.repeal", "ordinance.update"]
    assert actions[2][1] == {"repealed_on": "2026-04-01"}
    assert not ordinance.in_force(D(2026, 4, 1)) and ordinance.in_force(D(2026, 3, 31))


def test_refusals_are_japanese(ordinance):
    with pytest.raises(ValidationError, match="施行日より後"):
        services.repeal_ordinance(actor=None, via="web", ordinance=ordinance, on=D(2015, 4, 1))
    with pytest.raises(ValidationError, match="施行日以降"):
        services.amend_ordinance(actor=None, via="web", ordinance=ordinance, amended_on=D(2015, 4, 1),
                                 articles="第4条", summary="x")
    services.repeal_ordinance(actor=None, via="web", ordinance=ordinance, on=D(2026, 4, 1))
    with pytest.raises(ValidationError, match="既に令和8年4月1日に廃止"):
        services.repeal_ordinance(actor=None, via="web", ordinance=ordinance, on=D(2026, 5, 1))
    with pytest.raises(ValidationError, match="廃止日以降の改正"):
        services.amend_ordinance(actor=None, via="web", ordinance=ordinance, amended_on=D(2026, 4, 1),
                                 articles="第4条", summary="x")


def test_a_referenced_ordinance_is_not_deleted(municipality, ordinance):
    Process.objects.create(municipality=municipality, name="子ども医療費助成事務", ordinance=ordinance)
    with pytest.raises(ValidationError, match="削除できません。効力を失った場合は廃止日"):
        services.delete_ordinance(actor=None, via="web", ordinance=ordinance)
    assert Ordinance.objects.filter(pk=ordinance.pk).exists()
    assert not AuditEntry.objects.filter(action="ordinance.delete").exists()


def test_an_unreferenced_ordinance_is_deleted_and_audited(ordinance):
    services.delete_ordinance(actor=None, via="web", ordinance=ordinance)
    assert not Ordinance.objects.exists()
    assert AuditEntry.objects.get(action="ordinance.delete").before["article"] == "第4条"


def test_pages_take_wareki_dates(client_for, admin_user, municipality, ordinance):
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/ordinances/{ordinance.pk}"
    assert client.post(f"{base}/amend/", {"amended_on": "R5.4.1", "articles": "第4条", "summary": "改正"}
                       ).status_code == 302
    assert client.post(f"{base}/repeal/", {"on": "令和8年4月1日"}).status_code == 302
    response = client.post(f"{base}/amend/", {"amended_on": "R5.13.1", "articles": "第4条", "summary": "改正"})
    assert response.status_code == 200 and "存在しない日付です" in response.content.decode()
    page = client.get(f"{base}/").content.decode()
    assert "令和5年4月1日" in page and "令和8年4月1日" in page and "廃止" in page
    listing = client.get(f"/m/{municipality.code}/ordinances/").content.decode()
    assert "平成28年1月1日" in listing

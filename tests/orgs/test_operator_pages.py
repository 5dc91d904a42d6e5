"""団体管理 (/operator/): the operator registers associations and municipalities and adds each one's first
administrator; everyone else gets 404 (tests/routes_operator.py for the three personas)."""

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.core.codes import with_check_digit
from jichitai.core.mynumber import my_number_check_digit
from jichitai.orgs import services
from jichitai.orgs.models import Association, Membership, Municipality
from jichitai.orgs.operator_forms import OrganisationFilterForm
from jichitai.orgs.operator_queries import organisations
from tests.conftest import make_user
from tests.helpers import enrol_two_factor_on_the_web
from tests.routes_operator import ROUTES

GOOD_PASSWORD = "hamanasu-kaido-29"
User = get_user_model()


@pytest.fixture(autouse=True)
def _no_operator_two_factor(settings):
    # These tests are about the organisation pages; signing in with a second factor is tested on its own.
    settings.JICHITAI_OPERATOR_TWO_FACTOR = False


@pytest.fixture
def operator(client_for, operator_user):
    return client_for(operator_user)


# --- who gets in ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(name for name in ROUTES if ROUTES[name].method == "get"))
def test_the_operator_and_a_superuser_get_every_page(client, operator_user, municipality, association, name):
    superuser = User.objects.create_user("root", password="pw-for-tests-only", is_superuser=True)
    path = ROUTES[name].path.format(association=association.pk, code=municipality.code)
    for user in (operator_user, superuser):
        client.force_login(user)
        assert client.get(path).status_code == 200, (name, user)


@pytest.mark.parametrize("path", ["/operator/", "/operator/organisations.xlsx", "/operator/associations/new/"])
def test_anonymous_is_sent_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_secretariat_admin_gets_404_and_writes_nothing(client_for, secretariat_admin_user, association):
    client = client_for(secretariat_admin_user)
    assert client.get("/operator/").status_code == 404
    assert client.post("/operator/associations/new/", {"name": "D県協議会"}).status_code == 404
    response = client.post(f"/operator/associations/{association.pk}/users/new/",
                           {"username": "sneaky", "role": "secretariat_admin", "method": "link"})
    assert response.status_code == 404
    assert not Association.objects.filter(name="D県協議会").exists()
    assert not User.objects.filter(username="sneaky").exists()


def test_the_operator_lands_on_the_organisations_others_where_they_work(client_for, operator_user, admin_user,
                                                                        municipality, viewer_user):
    assert client_for(operator_user).get("/")["Location"] == "/operator/"
    assert client_for(admin_user).get("/")["Location"] == f"/m/{municipality.code}/todo/"
    # An operator who also works for a municipality lands there; /operator/ stays open to them.
    services.grant_role(actor=None, via="command", user=operator_user, role="viewer", municipality=municipality)
    client = client_for(operator_user)
    assert client.get("/")["Location"] == f"/m/{municipality.code}/todo/"
    assert client.get("/operator/").status_code == 200
    Membership.objects.filter(user=viewer_user).delete()
    assert client_for(viewer_user).get("/").status_code == 200  # no role at all: the page saying so


def test_audit_views_uses_the_one_is_operator():
    from jichitai.orgs import audit_views, scoping

    assert not hasattr(audit_views, "is_operator")
    assert audit_views.scoping.is_operator is scoping.is_operator


# --- the list ---------------------------------------------------------------------------------------------------


def test_list_shows_associations_members_and_counts(operator, municipality, other_municipality, association,
                                                    admin_user, viewer_user, secretariat_user):
    lonely = Municipality.objects.create(code=with_check_digit("99301"), name="ひとり村")
    html = operator.get("/operator/").content.decode()
    for text in (association.name, municipality.code, municipality.name, "よその町", "B県協議会", lonely.name,
                 f"/operator/associations/{association.pk}/users/new/", "/audit/",
                 f"/operator/municipalities/new/?association={association.pk}",
                 f"/operator/municipalities/{lonely.code}/users/new/"):
        assert text in html, text
    groups = {g.association.name if g.association else None: g for g in organisations()}
    assert [(m.code, m.users, m.admins) for m in groups[association.name].members] == [(municipality.code, 2, 1)]
    assert (groups[association.name].association.users, groups[association.name].association.admins) == (1, 0)
    assert [m.name for m in groups[None].members] == ["ひとり村"]
    User.objects.filter(pk=viewer_user.pk).update(is_active=False)  # a deactivated user is not counted
    assert organisations(q=municipality.code)[0].members[0].users == 1


def test_filter_and_sort(operator, municipality, other_municipality, association, admin_user):
    second = Municipality.objects.create(code=with_check_digit("99202"), name="あおば町", association=association)
    assert [g.association.name for g in organisations(q="よその")] == ["B県協議会"]
    by_name = organisations(q="A県", sort="name")  # the association's name matches: all its members
    assert [m.name for m in by_name[0].members] == ["あおば町", "テスト市"]
    assert [m.code for m in organisations(q=second.code)[0].members] == [second.code]
    assert [m.name for m in organisations(q="A県", sort="users")[0].members] == ["テスト市", "あおば町"]
    assert organisations(q="ない名前") == []
    html = operator.get("/operator/?q=よその&sort=name").content.decode()
    assert "よその町" in html and "テスト市" not in html
    # A parameter that is not valid is shown and ignored, never a server error, never echoed when a My Number.
    response = operator.get("/operator/?sort=nonsense&q=" + "長" * 200)
    assert response.status_code == 200 and "テスト市" in response.content.decode()
    my_number = "12345678901" + str(my_number_check_digit("12345678901"))
    response = operator.get(f"/operator/?q={my_number}")
    # Refused before the view (core.middleware.QueryStringGuardMiddleware), without echo.
    assert response.status_code == 400 and my_number not in response.content.decode()
    form = OrganisationFilterForm({"q": my_number})  # the form refuses it too, on its own
    assert form.errors.as_data()["q"][0].code == "my_number" and form.query() == "sort=code"


def test_export_is_the_filtered_list(operator, municipality, other_municipality, association, admin_user):
    response = operator.get("/operator/organisations.xlsx?q=A県")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert ["協議会事務局", association.name, None, None, 0, 0] in rows
    assert ["構成団体", association.name, municipality.code, "テスト市", 1, 1] in rows
    assert not any("よその町" in row for row in rows)


def _organisations(count: int, tag: str) -> None:
    association = Association.objects.create(name=f"協議会{tag}")
    for i in range(count):
        municipality = Municipality.objects.create(code=with_check_digit(f"9{count:02d}{i:02d}"), name=f"町{tag}{i}",
                                                   association=association if i % 2 else None)
        make_user(f"u{tag}{i}", Membership.Role.ADMIN, municipality=municipality)
    make_user(f"kyoku{tag}", Membership.Role.SECRETARIAT_ADMIN, association=association)


@pytest.mark.parametrize("path", ["/operator/?sort=users", "/operator/organisations.xlsx?q=町"])
def test_query_count_does_not_grow_with_the_rows(client, operator_user, path):
    counts = {}
    for count in (2, 20):
        Municipality.objects.all().delete()
        _organisations(count, str(count))
        client.force_login(operator_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts[count] = len(queries)
    assert counts[2] == counts[20], counts
    assert counts[2] <= 8, counts


# --- registering ------------------------------------------------------------------------------------------------


def test_register_an_association_audited_and_refused_twice(operator, operator_user, association):
    response = operator.post("/operator/associations/new/", {"name": "　C県　協議会 "})
    assert response.status_code == 302 and response["Location"] == "/operator/"
    created = Association.objects.get(name="C県 協議会")
    entry = AuditEntry.objects.get(action="association.create")
    assert (entry.association, entry.actor, entry.via) == (created, operator_user, "web")
    response = operator.post("/operator/associations/new/", {"name": association.name})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["name"][0].code == "duplicate"
    assert AuditEntry.objects.filter(action="association.create").count() == 1


def test_register_a_municipality_with_its_check_digit(operator, operator_user, association):
    code = with_check_digit("99203")
    wrong = code[:5] + str((int(code[5]) + 1) % 10)
    response = operator.post("/operator/municipalities/new/", {"code": wrong, "name": "北町",
                                                               "association": association.pk})
    assert response.status_code == 200 and "チェックデジット" in str(response.context["form"].errors["code"])
    response = operator.post("/operator/municipalities/new/", {"code": "", "name": "", "association": "999999"})
    codes = {name: [e.code for e in errors] for name, errors in response.context["form"].errors.as_data().items()}
    assert codes == {"code": ["required"], "name": ["required"], "association": ["invalid_choice"]}
    # Full-width digits are read as digits.
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = operator.post("/operator/municipalities/new/", {"code": full_width, "name": "北町",
                                                               "association": association.pk})
    assert response.status_code == 302
    municipality = Municipality.objects.get(code=code)
    assert (municipality.name, municipality.association) == ("北町", association)
    entry = AuditEntry.objects.get(action="municipality.create")
    assert (entry.municipality, entry.actor, entry.after["code"]) == (municipality, operator_user, code)
    response = operator.post("/operator/municipalities/new/", {"code": code, "name": "別の町"})
    assert response.context["form"].errors.as_data()["code"][0].code == "duplicate"
    assert Municipality.objects.get(code=code).name == "北町"
    # Without an association; the association of a list row is offered first.
    assert operator.post("/operator/municipalities/new/", {"code": with_check_digit("99204"),
                                                           "name": "離島村"}).status_code == 302
    assert Municipality.objects.get(name="離島村").association is None
    form = operator.get(f"/operator/municipalities/new/?association={association.pk}").context["form"]
    assert form.initial == {"association": str(association.pk)}


def test_create_municipality_service_is_for_the_operator_and_never_updates(admin_user, operator_user,
                                                                           municipality):
    with pytest.raises(PermissionDenied):
        services.create_municipality(actor=admin_user, via="web", code=with_check_digit("99205"), name="x")
    with pytest.raises(ValidationError):
        services.create_municipality(actor=operator_user, via="web", code=municipality.code, name="改名")
    assert Municipality.objects.get(pk=municipality.pk).name == "テスト市"


# --- the first administrators -------------------------------------------------------------------------------------


def test_first_secretariat_admin_and_first_member_admin(operator, association, municipality):
    page = operator.get(f"/operator/associations/{association.pk}/users/new/")
    assert [value for value, _ in page.context["form"].fields["role"].choices] == [
        "secretariat_admin", "secretariat", "admin"]
    response = operator.post(f"/operator/associations/{association.pk}/users/new/",
                             {"username": "kyoku", "name": "事務局 太郎", "role": "secretariat_admin",
                              "method": "password"})
    assert response.status_code == 200 and response.context["password"]
    assert Membership.objects.get(user__username="kyoku").association == association
    response = operator.post(f"/operator/associations/{association.pk}/users/new/",
                             {"username": "shichou", "role": "admin", "municipality": municipality.pk,
                              "method": "link"})
    assert "/accounts/setup/" in response.context["link"]
    assert Membership.objects.get(user__username="shichou").municipality == municipality
    assert set(AuditEntry.objects.filter(action="membership.grant").values_list(
        "association", "municipality")) == {(association.pk, None), (None, municipality.pk)}


def test_a_member_of_another_association_cannot_be_chosen(operator, association, other_municipality):
    response = operator.post(f"/operator/associations/{association.pk}/users/new/",
                             {"username": "x", "role": "admin", "municipality": other_municipality.pk,
                              "method": "link"})
    assert response.status_code == 200 and "municipality" in response.context["form"].errors
    assert not User.objects.filter(username="x").exists()


def test_first_admin_of_a_municipality_in_no_association(operator):
    lonely = Municipality.objects.create(code=with_check_digit("99301"), name="ひとり村")
    response = operator.post(f"/operator/municipalities/{lonely.code}/users/new/",
                             {"username": "sonchou", "role": "admin", "method": "link"})
    assert response.status_code == 200
    assert Membership.objects.get(user__username="sonchou").municipality == lonely
    assert operator.get("/operator/municipalities/000000/users/new/").status_code == 404
    assert operator.get("/operator/associations/999999/users/new/").status_code == 404


def test_no_hostile_parameter_gives_the_operator_a_server_error(client, operator_user, municipality, association):
    """The crawler (tests/test_crawler.py) fuzzes a route for the first persona who gets in: on these routes
    none of its personas does, so the operator is crawled here."""
    from tests.routes_operator import objects
    from tests.test_crawler import Crawl, crawl_route

    client.force_login(operator_user)
    ids = {"association": association.pk, "code": municipality.code} | objects(municipality=municipality,
                                                                                association=association)
    failures = []
    for name in sorted(ROUTES):
        crawl = Crawl(client, "operator")
        assert crawl_route(crawl, ROUTES[name], ids, full=True), name
        failures += crawl.failures
    assert failures == []


# --- a fresh installation, from the command line to the first logins on the web -------------------------------


def _login(client, username, password):
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]


def test_fresh_install_operator_sets_up_the_organisations_on_the_web(client, db, monkeypatch, capsys, settings):
    settings.JICHITAI_OPERATOR_TWO_FACTOR = True  # the default: the operator registers an authenticator first
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_PASSWORD + "\n"))
    call_command("user", "add", "ops", "--operator", "--password-stdin")
    capsys.readouterr()

    _login(client, "ops", GOOD_PASSWORD)
    assert client.get("/")["Location"] == "/account/2fa/"
    enrol_two_factor_on_the_web(client, "ops")
    assert client.get("/")["Location"] == "/operator/"
    assert client.post("/operator/associations/new/", {"name": "E県市町村振興協会"}).status_code == 302
    association = Association.objects.get()
    code = with_check_digit("99401")
    assert client.post("/operator/municipalities/new/", {"code": code, "name": "みなと市",
                                                         "association": association.pk}).status_code == 302
    assert "みなと市" in client.get("/operator/").content.decode()
    response = client.post(f"/operator/associations/{association.pk}/users/new/",
                           {"username": "kyoku", "role": "secretariat_admin", "method": "password"})
    kyoku_password = response.context["password"]
    response = client.post(f"/operator/municipalities/{code}/users/new/",
                           {"username": "shichou", "name": "市 管理者", "role": "admin", "method": "link"})
    link = response.context["link"]
    client.logout()
    assert client.post(link[link.index("/accounts/setup/"):],
                       {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}).status_code == 302

    _login(client, "kyoku", kyoku_password)
    assert client.get("/")["Location"] == f"/a/{association.pk}/todo/"
    assert client.get(f"/a/{association.pk}/users/").status_code == 200
    assert client.get("/operator/").status_code == 404
    _login(client, "shichou", GOOD_PASSWORD)
    assert client.get("/")["Location"] == f"/m/{code}/todo/"
    assert client.get(f"/m/{code}/users/").status_code == 200
    actions = list(AuditEntry.objects.filter(actor__username="ops").values_list("action", flat=True))
    assert {"association.create", "municipality.create", "user.create", "membership.grant"} <= set(actions)

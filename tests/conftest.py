"""Personas (healthchecks style): a member of the municipality, the secretariat of its association, and a
member of another municipality (the outsider). Superusers are never used."""

import pytest
from django.contrib.auth import get_user_model

from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Association, Department, Membership, Municipality
from jichitai.processes.models import LegalBasisItem, Process
from jichitai.processes.services import load_beppyo


@pytest.fixture
def beppyo(db):
    load_beppyo()
    return {item.item_arabic: item for item in LegalBasisItem.objects.all()}


def make_user(username, role, municipality=None, association=None):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-only")
    Membership.objects.create(user=user, role=role, municipality=municipality, association=association)
    return user


@pytest.fixture
def association(db):
    return Association.objects.create(name="A県市町村振興協会")


@pytest.fixture
def municipality(association):
    return Municipality.objects.create(code=with_check_digit("99201"), name="テスト市", association=association)


@pytest.fixture
def other_municipality(db):
    other = Association.objects.create(name="B県協議会")
    return Municipality.objects.create(code=with_check_digit("99801"), name="よその町", association=other)


@pytest.fixture
def department(municipality):
    return Department.objects.create(municipality=municipality, name="子育て支援課")


@pytest.fixture
def process(municipality, beppyo, department):
    return Process.objects.create(municipality=municipality, name="児童手当事務", beppyo_item=beppyo["81"],
                                  department=department)


@pytest.fixture
def admin_user(municipality):
    return make_user("admin", Membership.Role.ADMIN, municipality=municipality)


@pytest.fixture
def viewer_user(municipality):
    return make_user("viewer", Membership.Role.VIEWER, municipality=municipality)


@pytest.fixture
def secretariat_user(association):
    return make_user("secretariat", Membership.Role.SECRETARIAT, association=association)


@pytest.fixture
def outsider_user(other_municipality):
    return make_user("outsider", Membership.Role.ADMIN, municipality=other_municipality)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def secretariat_admin_user(association):
    return make_user("secretariat_admin", Membership.Role.SECRETARIAT_ADMIN, association=association)


@pytest.fixture
def operator_user(db):
    return make_user("operator", Membership.Role.OPERATOR)

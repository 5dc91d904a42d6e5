import pytest

from jichitai.measures.models import FrameworkItem
from jichitai.measures.services import load_default_framework
from jichitai.orgs.models import Department, Staff


@pytest.fixture
def framework(db):
    load_default_framework()
    return {item.item_id: item for item in FrameworkItem.objects.all()}


@pytest.fixture
def departments(municipality, department):
    """Two sections: 子育て支援課 (the shared fixture) and 税務課."""
    return [department, Department.objects.create(municipality=municipality, name="税務課")]


@pytest.fixture
def officer(municipality, department):
    return Staff.objects.create(municipality=municipality, department=department, staff_number="P1",
                                name="高橋 誠", role="protection_officer")


@pytest.fixture
def login(client_for):
    """Signed in with the English UI, so assertions on interface text do not depend on the Japanese catalogue."""
    from django.conf import settings

    def signed_in(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in

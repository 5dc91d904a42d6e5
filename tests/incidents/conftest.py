import datetime as dt

import pytest
from django.conf import settings

from jichitai.incidents import rules, services
from jichitai.orgs.models import Staff
from jichitai.training import services as training_services
from jichitai.training.models import Course

KNOWN = dt.datetime(2025, 10, 1, 10, 0, tzinfo=rules.TOKYO)
NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=rules.TOKYO)
FIELDS = {"title": "住民税通知書の誤送付", "discovered_at": KNOWN - dt.timedelta(hours=1), "known_at": KNOWN,
          "kinds": ["leak"], "persons_affected": 150}


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the assertions do not depend on the Japanese catalogue's wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def make_incident(municipality, **fields):
    return services.save_incident(actor=None, via="command", municipality=municipality, now=NOW,
                                  **(FIELDS | fields))


@pytest.fixture
def drill_courses(db):
    training_services.load_curriculum()
    return {c.code: c for c in Course.objects.filter(code__in=rules.DRILL_COURSE_CODES, association__isnull=True,
                                                      municipality__isnull=True)}


@pytest.fixture
def people(municipality, department):
    return Staff.objects.bulk_create(Staff(municipality=municipality, department=department, staff_number=f"H{i}",
                                           name=f"職員 {i}", role="handler") for i in range(3))

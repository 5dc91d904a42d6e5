import datetime as dt

import pytest
from django.apps import apps
from django.conf import settings

from jichitai.orgs.models import Staff
from jichitai.processes.models import ProcessAssignment
from jichitai.training import services
from jichitai.training.models import Attendance, Course

TRACKED_APPS = {"orgs", "processes", "audit", "handling", "risk", "training"}


def full_db_state() -> dict[str, list]:
    """Every row of every table the training code can touch (tests.helpers.db_state plus training)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in TRACKED_APPS:
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    for model in apps.get_models():  # many-to-many tables (session participants)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.app_label in TRACKED_APPS:
                state[through._meta.label] = list(through.objects.order_by("pk").values_list())
    return state


def make_people(municipality, process, n: int, *, role: str = "handler", prefix: str = "P", department=None,
                assigned_on: dt.date = dt.date(2024, 4, 1)) -> list[Staff]:
    people = Staff.objects.bulk_create(
        Staff(municipality=municipality, staff_number=f"{prefix}{i:04d}", name=f"職員 {prefix}{i}", role=role,
              department=department) for i in range(n))
    ProcessAssignment.objects.bulk_create(ProcessAssignment(process=process, staff=p, assigned_on=assigned_on)
                                          for p in people)
    return people


def attend(session, people, **values) -> None:
    Attendance.objects.bulk_create(Attendance(session=session, staff=p, **values) for p in people)


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the assertions do not depend on the Japanese catalogue's wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def curriculum(db):
    services.load_curriculum()
    return {c.code: c for c in Course.objects.filter(association__isnull=True, municipality__isnull=True)}


@pytest.fixture
def statutory(curriculum):
    return curriculum["①-②"]

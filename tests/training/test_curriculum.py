from decimal import Decimal

from jichitai.audit.models import AuditEntry
from jichitai.training import services
from jichitai.training.models import Course
from tests.training.conftest import full_db_state


def test_curriculum_has_the_seeds_modules_with_audiences(db):
    result = services.load_curriculum()
    assert result["created"] == 10 and result["updated"] == 0 and result["total"] == 10
    courses = {c.code: c for c in Course.objects.all()}
    assert list(courses) == ["①-①", "①-②", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨"]
    assert courses["①-①"].audience == ["protection_officer"]
    assert courses["①-②"].audience == ["protection_officer", "handler"]
    assert courses["④"].audience == ["legal"] and courses["⑤"].audience == ["it"]
    assert {code for code, c in courses.items() if c.statutory} == {"①-①", "①-②", "⑥"}
    assert courses["⑥"].title == "インシデント対応の基礎訓練"
    assert all(c.hours == Decimal("2") and c.revision == "H28-A県共同研修体系" for c in courses.values())
    assert AuditEntry.objects.filter(action="curriculum.load").count() == 1


def test_loading_twice_changes_nothing(db):
    services.load_curriculum()
    before = full_db_state()
    assert services.load_curriculum() == {"created": 0, "updated": 0, "total": 10, "revision": "H28-A県共同研修体系"}
    assert full_db_state() == before


def test_loading_restores_an_edited_shipped_course(db):
    services.load_curriculum()
    Course.objects.filter(code="⑥").update(title="変更", statutory=False)
    assert services.load_curriculum()["updated"] == 1
    course = Course.objects.get(code="⑥")
    assert (course.title, course.statutory) == ("インシデント対応の基礎訓練", True)

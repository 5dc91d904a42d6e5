from jichitai.audit.models import AuditEntry
from jichitai.orgs.models import Department, Staff
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import db_state


def test_add_department_and_staff_are_audited(client_for, admin_user, municipality):
    client = client_for(admin_user)
    assert client.post(f"/m/{municipality.code}/departments/new/", {"name": "税務課"}).status_code == 302
    department = Department.objects.get(name="税務課")
    client.post(f"/m/{municipality.code}/staff/new/", {"staff_number": "T001", "name": "高橋 誠",
                                                       "department": department.pk, "role": "protection_officer"})
    person = Staff.objects.get(staff_number="T001")
    assert person.department == department and person.get_role_display() == "保護責任者"
    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor")) == [
        ("department.create", admin_user.pk), ("staff.create", admin_user.pk)]
    assert "高橋 誠" in client.get(f"/m/{municipality.code}/staff/?role=protection_officer").content.decode()


def test_staff_form_errors_are_japanese_and_write_nothing(client_for, admin_user, municipality, other_municipality):
    other_department = Department.objects.create(municipality=other_municipality, name="よその課")
    before = db_state()
    response = client_for(admin_user).post(f"/m/{municipality.code}/staff/new/", {
        "staff_number": FAKE_MY_NUMBER, "name": "", "department": other_department.pk, "role": "boss"})
    html = response.content.decode()
    assert response.status_code == 200 and "個人番号" in html and "このフィールドは必須です" in html
    assert FAKE_MY_NUMBER not in html
    assert db_state() == before

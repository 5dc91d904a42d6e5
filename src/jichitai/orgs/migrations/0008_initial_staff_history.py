"""Every person and section registered before their history was kept gets one open history row, valid since
before the records began (orgs.rules.SINCE_RECORDS), so a past as-of date reads them as they are today."""

import datetime as dt

from django.db import migrations

SINCE_RECORDS = dt.date(1868, 1, 1)  # orgs.rules.SINCE_RECORDS, copied: a migration keeps its own values


def forwards(apps, schema_editor):
    Staff = apps.get_model("orgs", "Staff")
    StaffAssignment = apps.get_model("orgs", "StaffAssignment")
    Department = apps.get_model("orgs", "Department")
    DepartmentName = apps.get_model("orgs", "DepartmentName")
    StaffAssignment.objects.bulk_create(
        [StaffAssignment(staff_id=pk, department_id=department_id, role=role, valid_from=SINCE_RECORDS)
         for pk, department_id, role in Staff.objects.values_list("pk", "department_id", "role").iterator()],
        batch_size=1000)
    DepartmentName.objects.bulk_create(
        [DepartmentName(department_id=pk, name=name, valid_from=SINCE_RECORDS)
         for pk, name in Department.objects.values_list("pk", "name").iterator()], batch_size=1000)


def backwards(apps, schema_editor):
    apps.get_model("orgs", "StaffAssignment").objects.all().delete()
    apps.get_model("orgs", "DepartmentName").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0007_department_staff_history")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Persona table of the 取扱記録 and review pages (merged by tests/test_tenancy.py)."""

import datetime as dt

from django.utils import timezone

from jichitai.handling import services
from jichitai.orgs.models import Staff
from tests.personas import MUNICIPAL_WRITE, Route

FORM_PAGE = (200, 403, 404)

ROUTES = {
    "handling:records": Route("/m/{code}/records/"),
    "handling:records_export": Route("/m/{code}/records.xlsx"),
    "handling:process_records": Route("/m/{code}/processes/{pk}/records/"),
    "handling:record_new": Route("/m/{code}/processes/{pk}/records/new/", expect=FORM_PAGE),
    "handling:record_new#post": Route("/m/{code}/processes/{pk}/records/new/", method="post", data={
        "handling_row": "{record_row}", "occurred_on": "R8.4.1", "occurred_time": "10:00", "person": "{record_person}",
        "action": "use", "medium": "紙", "count": "2", "purpose": "減免審査"}, expect=MUNICIPAL_WRITE),
    "handling:record_void": Route("/m/{code}/records/{record}/void/", expect=FORM_PAGE),
    "handling:record_void#post": Route("/m/{code}/records/{record}/void/", method="post",
                                       data={"void_reason": "日時の誤り"}, expect=MUNICIPAL_WRITE),
    "handling:analysis_review": Route("/m/{code}/processes/{pk}/review/", method="post",
                                      data={"reviewed_on": "令和8年4月1日"}, expect=MUNICIPAL_WRITE),
    "handling:rules_documents": Route("/m/{code}/rules/"),
    "handling:rules_review": Route("/m/{code}/departments/{department}/rules/review/", method="post",
                                   data={"reviewed_on": "R8.4.1", "review_interval_months": "24"},
                                   expect=MUNICIPAL_WRITE),
}


def objects(municipality, process, association, department) -> dict:
    # A row of its own: a row with records cannot be deleted, and the other tables delete theirs.
    row = services.save_handling_row(
        actor=None, via="command", process=process, row_id="9-1", asset_name="記録対象の申請書", kind="paper",
        stage="store", confidentiality=3, integrity=2, availability=1)
    person = Staff.objects.create(municipality=municipality, staff_number="R1", name="記録 花子", role="handler")
    item = services.create_record(actor=None, via="command", handling_row=row, person=person, action="store",
                                  occurred_at=timezone.now() - dt.timedelta(days=3), medium="紙", purpose="保管")
    return {"record": item.pk, "record_row": row.pk, "record_person": person.pk}

"""Persona table of the editing pages of ordinances, departments and staff (merged by tests/test_tenancy.py)."""

import datetime as dt

from jichitai.orgs import services as org_services
from jichitai.processes import services as process_services
from tests.personas import MUNICIPAL_WRITE, Route

FORM_PAGE = (200, 403, 404)

ROUTES = {
    "orgs:staff_export": Route("/m/{code}/staff.xlsx"),
    "orgs:staff_detail": Route("/m/{code}/staff/{org_staff}/"),
    "orgs:staff_edit": Route("/m/{code}/staff/{org_staff}/edit/", expect=FORM_PAGE),
    "orgs:staff_edit#post": Route("/m/{code}/staff/{org_staff}/edit/", method="post",
                                  data={"staff_number": "E2", "name": "異動 次郎"}, expect=MUNICIPAL_WRITE),
    "orgs:staff_transfer": Route("/m/{code}/staff/{org_staff}/transfer/", expect=FORM_PAGE),
    "orgs:staff_transfer#post": Route("/m/{code}/staff/{org_staff}/transfer/", method="post",
                                      data={"department": "{org_into}", "role": "handler", "on": "R7.4.1"},
                                      expect=MUNICIPAL_WRITE),
    "orgs:staff_retire": Route("/m/{code}/staff/{org_staff}/retire/", expect=FORM_PAGE),
    "orgs:staff_retire#post": Route("/m/{code}/staff/{org_staff}/retire/", method="post", data={"on": "R7.3.31"},
                                    expect=MUNICIPAL_WRITE),
    "orgs:departments": Route("/m/{code}/departments/"),
    "orgs:department_rename": Route("/m/{code}/departments/{department}/rename/", expect=FORM_PAGE),
    "orgs:department_rename#post": Route("/m/{code}/departments/{department}/rename/", method="post",
                                         data={"name": "こども家庭課", "on": "令和7年4月1日"}, expect=MUNICIPAL_WRITE),
    "orgs:department_merge": Route("/m/{code}/departments/{department}/merge/", expect=FORM_PAGE),
    "orgs:department_merge#post": Route("/m/{code}/departments/{department}/merge/", method="post",
                                        data={"into": "{org_into}", "on": "R7.4.1"}, expect=MUNICIPAL_WRITE),
    "orgs:department_abolish": Route("/m/{code}/departments/{org_spare}/abolish/", expect=FORM_PAGE),
    "orgs:department_abolish#post": Route("/m/{code}/departments/{org_spare}/abolish/", method="post",
                                          data={"on": "R7.4.1"}, expect=MUNICIPAL_WRITE),
    "processes:ordinance": Route("/m/{code}/ordinances/{org_ordinance}/"),
    "processes:ordinance_edit": Route("/m/{code}/ordinances/{org_ordinance}/edit/", expect=FORM_PAGE),
    "processes:ordinance_edit#post": Route("/m/{code}/ordinances/{org_ordinance}/edit/", method="post", data={
        "name": "テスト市独自利用条例", "article": "第3条", "effective_on": "H28.1.1"}, expect=MUNICIPAL_WRITE),
    "processes:ordinance_amend": Route("/m/{code}/ordinances/{org_ordinance}/amend/", expect=FORM_PAGE),
    "processes:ordinance_amend#post": Route("/m/{code}/ordinances/{org_ordinance}/amend/", method="post", data={
        "amended_on": "R5.4.1", "articles": "第4条第2項", "summary": "対象事務を追加"}, expect=MUNICIPAL_WRITE),
    "processes:ordinance_repeal": Route("/m/{code}/ordinances/{org_ordinance}/repeal/", expect=FORM_PAGE),
    "processes:ordinance_repeal#post": Route("/m/{code}/ordinances/{org_ordinance}/repeal/", method="post",
                                             data={"on": "R8.4.1"}, expect=MUNICIPAL_WRITE),
    "processes:ordinance_delete": Route("/m/{code}/ordinances/{org_ordinance}/delete/", method="post",
                                        expect=MUNICIPAL_WRITE),
}


def objects(municipality, process, association, department) -> dict:
    into = org_services.create_department(actor=None, via="command", municipality=municipality, name="総務課")
    person = org_services.create_staff(actor=None, via="command", municipality=municipality, staff_number="E1",
                                       name="異動 太郎", role="it", department=into)
    ordinance = process_services.create_ordinance(actor=None, via="command", municipality=municipality,
                                                  name="テスト市独自利用条例", article="第2条",
                                                  effective_on=dt.date(2016, 1, 1))
    spare = org_services.create_department(actor=None, via="command", municipality=municipality, name="臨時課")
    return {"org_staff": person.pk, "org_into": into.pk, "org_ordinance": ordinance.pk, "org_spare": spare.pk}

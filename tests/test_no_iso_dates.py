"""No page shows an ISO date (issue 13: 和暦 by default): every HTML page of the persona tables, as the member and
as the secretariat, with its objects, has no yyyy-mm-dd in its text (links and input values may carry one)."""

import html
import re

import pytest

from jichitai.handling.models import FlowStep, HandlingRow, ProcessTemplate
from jichitai.orgs.models import Staff
from jichitai.processes.models import Ordinance
from tests.test_tenancy import OBJECT_BUILDERS, ROUTES

ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)
# The audit log shows each change's before/after as recorded (JSON values, ISO dates included); their wording in
# Japanese is the audit pages' own work (issue 13, "Japanese everywhere"), so those two pages are left out here.
RECORDED_VALUES = {"audit:association", "orgs:audit", "audit:operator"}
PAGES = sorted(name for name, route in ROUTES.items()
               if name not in RECORDED_VALUES and route.method == "get" and not route.json and not re.search(r"\.(xlsx|svg|docx|ics|csv)\b", route.path)
               and not route.path.startswith("/api/"))


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_an_iso_date(client, admin_user, secretariat_user, name, municipality, process, association,
                                   department):
    Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler")
    Ordinance.objects.create(municipality=municipality, name="条例", article="第1条", effective_on="2016-01-01")
    step = FlowStep.objects.create(process=process, order=1, lane="resident", action="申請書を提出")
    row = HandlingRow.objects.create(process=process, row_id="1-2", asset_name="減免申請書", kind="paper",
                                     stage="acquire", confidentiality=3, integrity=2, availability=2, asset_value=4)
    template = ProcessTemplate.objects.create(association=association, name="ひな形", payload={"steps": [], "rows": []},
                                              published_by="secretariat")
    ids = {"code": municipality.code, "pk": process.pk, "association": association.pk, "step": step.pk,
           "row": row.pk, "template": template.pk, "department": department.pk}
    for build in OBJECT_BUILDERS:
        ids.update(build(municipality=municipality, process=process, association=association, department=department))
    route = ROUTES[name]
    for user in (admin_user, secretariat_user):
        client.force_login(user)
        response = client.get(route.path.format(**ids), {k: v.format(**ids) if isinstance(v, str) else v
                                                         for k, v in route.data.items()})
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = html.unescape(HIDDEN.sub(" ", response.content.decode()))
        found = ISO_DATE.findall(text)
        assert not found, (name, user.username, found[:5])

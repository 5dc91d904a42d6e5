"""The association's settings page: its secretariat switches its members' dates between 和暦 and western."""

import datetime as dt

from jichitai.audit.models import AuditEntry
from jichitai.orgs.models import Association
from jichitai.processes.models import Ordinance

KEEP = {"review_interval_months": 12, "record_window_months": 12, "procurement_lead_years": 2}


def test_the_secretariat_switches_the_members_dates_to_western(client_for, secretariat_user, admin_user, association,
                                                               municipality):
    Ordinance.objects.create(municipality=municipality, name="個人番号の利用に関する条例", article="第3条",
                             effective_on=dt.date(2026, 12, 3))
    member = client_for(admin_user)
    assert "<td>令和8年12月3日</td>" in member.get(f"/m/{municipality.code}/ordinances/").content.decode()
    assert member.get(f"/a/{association.pk}/settings/").status_code == 404

    secretariat = client_for(secretariat_user)
    page = secretariat.get(f"/a/{association.pk}/settings/").content.decode()
    assert 'value="wareki" required id="id_date_style_0" checked' in page
    response = secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "western", **KEEP})
    assert response.status_code == 302
    assert Association.objects.get(pk=association.pk).date_style == "western"
    audit = AuditEntry.objects.get(action="association.settings")
    assert (audit.before["date_style"], audit.after["date_style"], audit.association_id) == ("wareki", "western",
                                                                                            association.pk)

    html = client_for(admin_user).get(f"/m/{municipality.code}/ordinances/").content.decode()
    assert "<td>2026年12月3日</td>" in html and "<td>令和8年12月3日</td>" not in html
    # Saving the same value again changes nothing and is not audited twice.
    secretariat = client_for(secretariat_user)  # one test client: log the secretariat in again
    secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "western", **KEEP})
    assert AuditEntry.objects.filter(action="association.settings").count() == 1
    assert secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "1999", **KEEP}).status_code == 200


def test_the_secretariat_sets_the_review_interval_and_the_record_window(client_for, secretariat_user, association):
    secretariat = client_for(secretariat_user)
    page = secretariat.get(f"/a/{association.pk}/settings/").content.decode()
    assert "見直し間隔（月）" in page and 'name="record_window_months" value="12"' in page
    response = secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "wareki", "review_interval_months": 6,
                                                                   "record_window_months": 3,
                                                                   "procurement_lead_years": 3})
    assert response.status_code == 302
    saved = Association.objects.get(pk=association.pk)
    assert (saved.review_interval_months, saved.record_window_months, saved.procurement_lead_years) == (6, 3, 3)
    audit = AuditEntry.objects.get(action="association.settings")
    assert audit.before["review_interval_months"] == 12 and audit.after["review_interval_months"] == 6
    refused = secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "wareki", "review_interval_months": 0,
                                                                  "record_window_months": 3})
    assert refused.status_code == 200 and "1 以上" in refused.content.decode()
    assert Association.objects.get(pk=association.pk).review_interval_months == 6

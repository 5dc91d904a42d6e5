"""The association's settings page: its secretariat switches its members' dates between 和暦 and western."""

import datetime as dt

from jichitai.audit.models import AuditEntry
from jichitai.orgs.models import Association
from jichitai.processes.models import Ordinance


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
    response = secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "western"})
    assert response.status_code == 302
    assert Association.objects.get(pk=association.pk).date_style == "western"
    audit = AuditEntry.objects.get(action="association.settings")
    assert (audit.before, audit.after, audit.association_id) == ({"date_style": "wareki"}, {"date_style": "western"},
                                                                 association.pk)

    html = client_for(admin_user).get(f"/m/{municipality.code}/ordinances/").content.decode()
    assert "<td>2026年12月3日</td>" in html and "<td>令和8年12月3日</td>" not in html
    # Saving the same value again changes nothing and is not audited twice.
    secretariat = client_for(secretariat_user)  # one test client: log the secretariat in again
    secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "western"})
    assert AuditEntry.objects.filter(action="association.settings").count() == 1
    assert secretariat.post(f"/a/{association.pk}/settings/", {"date_style": "1999"}).status_code == 200

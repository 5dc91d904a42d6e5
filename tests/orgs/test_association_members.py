"""A municipality in more than one association (issue 12): its own association, and a cloud group it joined. Both
secretariats read it, read-only; a third association's secretariat never sees it; leaving ends the access."""

import pytest
from django.test import Client

from jichitai.audit.models import AuditEntry
from jichitai.core import prefectures
from jichitai.orgs.models import Association, AssociationMember, Municipality
from jichitai.processes.models import Process
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _no_operator_two_factor(settings):
    settings.JICHITAI_OPERATOR_TWO_FACTOR = False


@pytest.fixture
def cloud_group(db):
    return Association.objects.create(name="デモ自治体クラウドグループ", prefecture="99")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def join(operator_user, group, municipality, kind="cloud_group"):
    return signed_in(operator_user).post(f"/operator/associations/{group.pk}/joined/",
                                         {"code": municipality.code, "kind": kind})


def test_both_secretariats_read_a_member_of_two_associations(operator_user, association, municipality, cloud_group,
                                                             secretariat_user, process):
    group_secretariat = signed_in(make_user("group_sec", "secretariat", association=cloud_group))
    third = signed_in(make_user("third_sec", "secretariat", association=Association.objects.create(name="C協議会")))
    assert group_secretariat.get(f"/m/{municipality.code}/").status_code == 404
    assert municipality.name not in group_secretariat.get(f"/a/{cloud_group.pk}/").content.decode()

    response = join(operator_user, cloud_group, municipality)
    assert response.status_code == 302
    assert AssociationMember.objects.filter(association=cloud_group, municipality=municipality).exists()
    assert AuditEntry.objects.filter(action="association.join").count() == 2  # the member's chain and the group's

    assert group_secretariat.get(f"/m/{municipality.code}/").status_code == 200
    assert group_secretariat.get(f"/m/{municipality.code}/processes/{process.pk}/").status_code == 200
    for page in ("", "checklist/", "training/", "measures/", "risk/"):
        assert municipality.name in group_secretariat.get(f"/a/{cloud_group.pk}/{page}").content.decode(), page
    assert list(Municipality.objects.members_of(cloud_group)) == [municipality]
    assert list(Municipality.objects.members_of(association)) == [municipality]
    # Read-only, as for its own members; and the first association's secretariat keeps its access.
    cell = group_secretariat.post(f"/m/{municipality.code}/cell/{process.pk}/ordinance/", {"status": "done"})
    assert cell.status_code == 403
    assert signed_in(secretariat_user).get(f"/m/{municipality.code}/").status_code == 200
    assert third.get(f"/m/{municipality.code}/").status_code == 404
    assert third.get(f"/a/{cloud_group.pk}/").status_code == 404

    link = AssociationMember.objects.get(association=cloud_group)
    left = signed_in(operator_user).post(f"/operator/associations/{cloud_group.pk}/joined/{link.pk}/leave/")
    assert left.status_code == 302
    assert group_secretariat.get(f"/m/{municipality.code}/").status_code == 404
    assert signed_in(secretariat_user).get(f"/m/{municipality.code}/").status_code == 200


def test_the_member_counts_once_in_each_association(operator_user, association, municipality, cloud_group,
                                                    secretariat_user, process):
    join(operator_user, cloud_group, municipality)
    Process.objects.create(municipality=municipality, name="二つ目の事務")
    page = signed_in(make_user("group_sec", "secretariat", association=cloud_group)).get(f"/a/{cloud_group.pk}/")
    assert [(s.municipality, s.processes) for s in page.context["summaries"]] == [(municipality, 2)]
    own = signed_in(secretariat_user).get(f"/a/{association.pk}/")
    assert [(s.municipality, s.processes) for s in own.context["summaries"]] == [(municipality, 2)]


def test_joining_twice_or_its_own_association_is_refused_in_japanese(operator_user, association, municipality,
                                                                      cloud_group):
    own = join(operator_user, association, municipality)
    assert own.status_code == 200 and "既にこの協議会の構成団体です" in own.content.decode()
    assert join(operator_user, cloud_group, municipality).status_code == 302
    again = join(operator_user, cloud_group, municipality, kind="wide_area_union")
    assert "既にこの協議会の構成団体です" in again.content.decode()
    unknown = signed_in(operator_user).post(f"/operator/associations/{cloud_group.pk}/joined/",
                                            {"code": "000000", "kind": "cloud_group"})
    assert "団体コード 000000 の団体はありません" in unknown.content.decode()
    assert AssociationMember.objects.count() == 1


def test_a_member_user_sees_the_shared_objects_of_both(operator_user, association, municipality, cloud_group,
                                                       admin_user):
    from jichitai.orgs.scoping import association_ids

    assert set(association_ids(admin_user).values_list("id", flat=True)) == {association.pk}
    join(operator_user, cloud_group, municipality)
    assert set(association_ids(admin_user).values_list("id", flat=True)) == {association.pk, cloud_group.pk}


def test_prefectures_are_data_with_their_own_codes():
    assert len(prefectures.PREFECTURES) == 47
    assert (prefectures.CODES["01"], prefectures.PREFECTURES["01"]) == ("010006", "北海道")
    assert (prefectures.CODES["13"], prefectures.PREFECTURES["13"]) == ("130001", "東京都")
    assert (prefectures.CODES["47"], prefectures.PREFECTURES["47"]) == ("470007", "沖縄県")
    assert prefectures.prefecture_name("99") == "架空の県（99）"


def test_an_association_is_registered_within_a_prefecture(operator_user):
    response = signed_in(operator_user).post("/operator/associations/new/", {"name": "東京都協議会",
                                                                              "prefecture": "13"})
    assert response.status_code == 302
    assert Association.objects.get(name="東京都協議会").prefecture == "13"
    refused = signed_in(operator_user).post("/operator/associations/new/", {"name": "架空協議会", "prefecture": "99"})
    assert refused.status_code == 200 and not Association.objects.filter(name="架空協議会").exists()


def test_the_association_pages_filter_members_by_another_association(operator_user, association, municipality,
                                                                      cloud_group, secretariat_user, process):
    from jichitai.core.codes import with_check_digit

    other = Municipality.objects.create(code=with_check_digit("99377"), name="ほかの町", association=association)
    Process.objects.create(municipality=other, name="事務")
    join(operator_user, cloud_group, municipality)
    client = signed_in(secretariat_user)
    everyone = client.get(f"/a/{association.pk}/")
    assert everyone.context["groups"] == [(cloud_group.pk, cloud_group.name)]
    assert {s.municipality for s in everyone.context["summaries"]} == {municipality, other}
    for page in (f"/a/{association.pk}/?group={cloud_group.pk}", f"/a/{association.pk}/?group={cloud_group.pk}"
                 "&as_of=2026-01-05"):
        assert [s.municipality for s in client.get(page).context["summaries"]] == [municipality], page
    grid = client.get(f"/a/{association.pk}/checklist/?group={cloud_group.pk}")
    assert [m for m, _items in grid.context["rows"]] == [municipality]
    past = client.get(f"/a/{association.pk}/checklist/?group={cloud_group.pk}&as_of=2026-01-05")
    assert [m for m, _items in past.context["rows"]] == [municipality]
    assert client.get(f"/a/{association.pk}/?group=abc").status_code == 200  # refused by the form, not a 500


def test_the_joined_members_page_runs_the_same_queries_at_two_sizes(client, operator_user, cloud_group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jichitai.core.codes import with_check_digit

    home = Association.objects.create(name="所属協議会")
    client.force_login(operator_user)
    counts = {}
    for size in (1, 12):
        while AssociationMember.objects.filter(association=cloud_group).count() < size:
            i = AssociationMember.objects.count()
            member = Municipality.objects.create(code=with_check_digit(f"99{400 + i}"), name=f"加入{i}",
                                                 association=home)
            AssociationMember.objects.create(association=cloud_group, municipality=member, kind="cloud_group")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/operator/associations/{cloud_group.pk}/joined/")
        assert response.status_code == 200 and len(response.context["links"]) == size
        counts[size] = len(queries)
    assert counts[1] == counts[12] <= 8, counts

"""Persona table of 団体管理, the operator's pages under /operator/ (merged by tests/test_tenancy.py).

Only the installation's operator (運用管理者, or a superuser) reaches them; none of the three personas is one, so
every route answers 404 to each of them, the writes included (tests/orgs/test_operator_pages.py covers the
operator).
"""

from tests.personas import Route

NOT_FOUND = (404, 404, 404)

ROUTES = {
    "operator:home": Route("/operator/?q=テスト&sort=users", expect=NOT_FOUND),
    "operator:export": Route("/operator/organisations.xlsx?q=99&sort=name", expect=NOT_FOUND),
    "operator:association_new": Route("/operator/associations/new/", expect=NOT_FOUND),
    "operator:association_new#post": Route("/operator/associations/new/", method="post",
                                           data={"name": "C県協議会"}, expect=NOT_FOUND),
    "operator:municipality_new": Route("/operator/municipalities/new/?association={association}",
                                       expect=NOT_FOUND),
    "operator:municipality_new#post": Route("/operator/municipalities/new/", method="post",
                                            data={"code": "992020", "name": "新しい町", "association": "{association}"},
                                            expect=NOT_FOUND),
    "operator:association_user_new": Route("/operator/associations/{association}/users/new/", expect=NOT_FOUND),
    "operator:association_user_new#post": Route("/operator/associations/{association}/users/new/", method="post",
                                                data={"username": "kyoku_first", "role": "secretariat_admin",
                                                      "method": "link"}, expect=NOT_FOUND),
    "operator:joined_members": Route("/operator/associations/{association}/joined/", expect=NOT_FOUND),
    "operator:joined_members#post": Route("/operator/associations/{association}/joined/", method="post",
                                          data={"code": "{code}", "kind": "cloud_group"}, expect=NOT_FOUND),
    "operator:leave_association": Route("/operator/associations/{association}/joined/{link}/leave/",
                                        method="post", expect=NOT_FOUND),
    "operator:municipality_user_new": Route("/operator/municipalities/{code}/users/new/", expect=NOT_FOUND),
    "operator:municipality_user_new#post": Route("/operator/municipalities/{code}/users/new/", method="post",
                                                 data={"username": "first_admin", "role": "admin",
                                                       "method": "password"}, expect=NOT_FOUND),
}


def objects(*, municipality, association, **_):
    """A member of another association that joined this one (the link the leave route removes)."""
    from jichitai.core.codes import with_check_digit
    from jichitai.orgs.models import Association, AssociationMember, Municipality

    home = Association.objects.create(name="加入元の協議会")
    joined = Municipality.objects.create(code=with_check_digit("99390"), name="加入町", association=home)
    return {"link": AssociationMember.objects.create(association=association, municipality=joined,
                                                     kind="cloud_group").pk}

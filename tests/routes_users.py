"""Persona table of 利用者管理 (merged by tests/test_tenancy.py).

/m/<code>/users/…: the member is the municipality's admin (manages its users); the secretariat reads the
municipality but does not manage its users (403); the outsider gets 404.
/a/<pk>/users/…: only the association's 事務局管理者 manages them; the plain secretariat gets 403, the member
(a member's admin, who does not read the association's own pages) and the outsider 404.
The set-up link page needs no login: everyone with a valid link gets it.
"""

from django.contrib.auth import get_user_model

from jichitai.orgs import services
from jichitai.orgs.models import Membership
from tests.personas import Route

MANAGE_READ = (200, 403, 404)
MANAGE_WRITE = (302, 403, 404)
ASSOCIATION_ADMIN = (404, 403, 404)

ROUTES = {
    "orgs:users": Route("/m/{code}/users/?sort=last_login&q=u&active=1", expect=MANAGE_READ),
    "orgs:users_export": Route("/m/{code}/users.xlsx", expect=MANAGE_READ),
    "orgs:user_new": Route("/m/{code}/users/new/", expect=MANAGE_READ),
    "orgs:user_new#post": Route("/m/{code}/users/new/", method="post",
                                data={"username": "newcomer", "name": "新規 太郎", "role": "viewer", "method": "link"},
                                expect=MANAGE_READ),  # the page showing the set-up link once
    "orgs:user_role": Route("/m/{code}/users/{membership}/role/", method="post", data={"role": "editor"},
                            expect=MANAGE_WRITE),
    "orgs:user_revoke": Route("/m/{code}/users/{membership}/revoke/", method="post", expect=MANAGE_WRITE),
    "orgs:user_deactivate": Route("/m/{code}/users/{membership}/deactivate/", method="post", expect=MANAGE_WRITE),
    "orgs:user_reset": Route("/m/{code}/users/{membership}/reset/", method="post", expect=MANAGE_READ),
    "orgs:user_unlock": Route("/m/{code}/users/{membership}/unlock/", method="post", expect=MANAGE_WRITE),
    "orgs:association_users": Route("/a/{association}/users/", expect=ASSOCIATION_ADMIN),
    "orgs:association_users_export": Route("/a/{association}/users.xlsx", expect=ASSOCIATION_ADMIN),
    "orgs:association_user_new": Route("/a/{association}/users/new/", expect=ASSOCIATION_ADMIN),
    "orgs:association_user_new#post": Route("/a/{association}/users/new/", method="post",
                                            data={"username": "kyoku2", "role": "secretariat", "method": "link"},
                                            expect=ASSOCIATION_ADMIN),
    "orgs:association_user_role": Route("/a/{association}/users/{secretariat_membership}/role/", method="post",
                                        data={"role": "secretariat_admin"}, expect=ASSOCIATION_ADMIN),
    "orgs:association_user_revoke": Route("/a/{association}/users/{secretariat_membership}/revoke/", method="post",
                                          expect=ASSOCIATION_ADMIN),
    "orgs:association_user_deactivate": Route("/a/{association}/users/{secretariat_membership}/deactivate/",
                                              method="post", expect=ASSOCIATION_ADMIN),
    "orgs:association_user_reset": Route("/a/{association}/users/{secretariat_membership}/reset/", method="post",
                                         expect=ASSOCIATION_ADMIN),
    "orgs:association_user_unlock": Route("/a/{association}/users/{secretariat_membership}/unlock/", method="post",
                                          expect=ASSOCIATION_ADMIN),
    "accounts:two_factor_policy": Route("/m/{code}/users/two-factor/", method="post", data={"policy": "admins"},
                                    expect=MANAGE_WRITE),
    "accounts:user_two_factor_reset": Route("/m/{code}/users/{membership}/two-factor-reset/", method="post",
                                        expect=MANAGE_WRITE),
    "accounts:association_two_factor_policy": Route("/a/{association}/users/two-factor/", method="post",
                                                data={"policy": "everyone"}, expect=ASSOCIATION_ADMIN),
    "accounts:association_user_two_factor_reset": Route(
        "/a/{association}/users/{secretariat_membership}/two-factor-reset/", method="post",
        expect=ASSOCIATION_ADMIN),
    "orgs:setup": Route("/accounts/setup/{setup_token}/", expect=(200, 200, 200)),
    "orgs:setup#post": Route("/accounts/setup/{setup_token}/", method="post",
                             data={"password1": "kaigan-dori-7-chome", "password2": "kaigan-dori-7-chome"},
                             expect=(302, 302, 302)),
}


def objects(municipality, process, association, department) -> dict:
    users = get_user_model().objects
    viewer = Membership.objects.create(user=users.create_user("staff_viewer", password=None),
                                       role=Membership.Role.VIEWER, municipality=municipality)
    secretary = Membership.objects.create(user=users.create_user("staff_secretary", password=None),
                                          role=Membership.Role.SECRETARIAT, association=association)
    newcomer = users.create_user("setup_person", password=None)
    return {"membership": viewer.pk, "secretariat_membership": secretary.pk,
            "setup_token": services.make_setup_token(newcomer)}

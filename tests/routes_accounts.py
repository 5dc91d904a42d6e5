"""Persona table of the accounts app (merged by tests/test_tenancy.py).

「アカウント」 is the signed-in user's own page: every persona sees and changes only their own account, so every
persona gets the same answer (nothing of a municipality is shown there).
"""

from tests.personas import Route

ROUTES = {
    "accounts:account": Route("/account/", expect=(200, 200, 200)),
    "accounts:password_change": Route("/account/password/", expect=(200, 200, 200)),
    "accounts:password_change#post": Route("/account/password/", method="post",
                                           data={"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
                                           expect=(200, 200, 200)),
    "accounts:logout_others": Route("/account/sessions/logout-others/", method="post", expect=(302, 302, 302)),
    "accounts:token_create": Route("/account/tokens/", method="post", data={"name": ""}, expect=(200, 200, 200)),
    "accounts:token_revoke": Route("/account/tokens/revoke/", method="post", data={"prefix": "none"},
                                   expect=(302, 302, 302)),
}

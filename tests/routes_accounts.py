"""Persona table of the accounts app (merged by tests/test_tenancy.py).

「アカウント」 is the signed-in user's own page: every persona sees and changes only their own account, so every
persona gets the same answer (nothing of a municipality is shown there). 「2段階認証」 likewise; its second login
step sends a session that owes no code home.
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
    "accounts:two_factor": Route("/account/2fa/", expect=(200, 200, 200)),
    "accounts:two_factor_enrol": Route("/account/2fa/enrol/", method="post", expect=(302, 302, 302)),
    "accounts:two_factor_confirm": Route("/account/2fa/confirm/", method="post", data={"confirm-code": "000000"},
                                         expect=(200, 200, 200)),
    "accounts:two_factor_recovery": Route("/account/2fa/recovery-codes/", method="post",
                                          data={"recovery-code": "000000"}, expect=(200, 200, 200)),
    "accounts:two_factor_disable": Route("/account/2fa/disable/", method="post", data={"disable-code": "000000"},
                                         expect=(200, 200, 200)),
    "accounts:two_factor_verify": Route("/account/2fa/verify/", expect=(302, 302, 302)),
    "accounts:two_factor_verify#post": Route("/account/2fa/verify/", method="post", data={"code": "000000"},
                                             expect=(302, 302, 302)),
}

"""Two-factor authentication: who must use it, and what a signed-in session must do next (pure).

Source: issue 11 (an association or municipality setting requires it for admins or for everyone; DOMAIN.md cites
no statute for it). A municipality's setting covers the users holding a role in that municipality; an
association's setting covers its secretariat. The operator is an admin for the rule; no setting covers the
operator's own role (it has no scope), so JICHITAI_OPERATOR_TWO_FACTOR decides it.
"""

POLICY_NONE, POLICY_ADMINS, POLICY_EVERYONE = "none", "admins", "everyone"
POLICIES = (POLICY_NONE, POLICY_ADMINS, POLICY_EVERYONE)
ADMIN_ROLES = frozenset({"admin", "secretariat_admin", "operator"})

# What the session of a signed-in user must do before any other page (stored in the session at login).
STEP_NONE, STEP_VERIFY, STEP_ENROL = "", "verify", "enrol"


def requires_two_factor(roles_and_policies) -> bool:
    """True when one of the user's roles falls under its scope's policy. `roles_and_policies`: (role, policy)
    pairs, one per membership; an unknown policy counts as none."""
    for role, policy in roles_and_policies:
        if policy == POLICY_EVERYONE or (policy == POLICY_ADMINS and role in ADMIN_ROLES):
            return True
    return False


def step_after_password(*, has_device: bool, required: bool) -> str:
    """After a correct password: a user with a confirmed authenticator gives a code; one who must use two-factor
    authentication and has none enrols first; anyone else goes on."""
    if has_device:
        return STEP_VERIFY
    if required:
        return STEP_ENROL
    return STEP_NONE


def may_disable(*, required: bool) -> bool:
    """A user may switch two-factor authentication off only where no policy requires it."""
    return not required

"""利用者管理's two-factor actions: the scope's policy (who must use it) and an admin's reset of a user's
authenticator (a lost phone). Here, not in orgs, because orgs comes before accounts in the layers. Same
permissions as the other user actions; writes through accounts.two_factor_services (audited)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from jichitai.orgs.views import AssociationUsers, MunicipalUsers, _UserAction

from . import two_factor_services
from .forms import PolicyForm


class _TwoFactorReset(_UserAction):
    message = gettext_lazy("The user's two-factor authentication was reset.")

    def act(self, membership):
        two_factor_services.reset_by_admin(actor=self.request.user, via="web", user=membership.user,
                                           scope=self.scope())


class _TwoFactorPolicy(_UserAction):
    """A POST on the scope itself (no membership in the URL)."""

    message = gettext_lazy("The two-factor setting was saved.")

    def action_target(self):
        return self.scope_object()

    def act(self, scope_object):
        form = PolicyForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(gettext_lazy("Choose a setting."))
        two_factor_services.set_policy(actor=self.request.user, via="web", scope_object=scope_object,
                                       policy=form.cleaned_data["policy"])


class UserTwoFactorResetView(MunicipalUsers, _TwoFactorReset):
    pass


class AssociationUserTwoFactorResetView(AssociationUsers, _TwoFactorReset):
    pass


class TwoFactorPolicyView(MunicipalUsers, _TwoFactorPolicy):
    pass


class AssociationTwoFactorPolicyView(AssociationUsers, _TwoFactorPolicy):
    pass

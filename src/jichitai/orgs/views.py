"""Shared view plumbing: every municipality page resolves its municipality through the scoping function."""

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from jichitai.audit import queries as audit_queries
from jichitai.audit.models import AuditEntry
from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView
from jichitai.core.wareki import set_date_style

from . import queries, scoping, services
from .export import users_workbook
from .forms import AssociationSettingsForm, DepartmentForm, RoleForm, SetupPasswordForm, StaffForm, UserAddForm
from .models import Membership, Municipality, TwoFactorPolicy

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopedMixin(LoginRequiredMixin):
    """What municipality and association pages share: writing needs write access, and objects of the URL are
    resolved through the scoping function (outsiders 404, readers asked to write 403).

    Any unsafe method (POST…) needs write access; `write = True` requires it for reading too (edit forms).
    """

    write = False

    def writing(self) -> bool:
        return self.write or self.request.method not in SAFE_METHODS

    def scoped(self, queryset, **lookup):
        """The object of `queryset` matching `lookup`, if the user may see it (and change it when writing)."""
        return scoping.get_visible_or_404(queryset, self.request.user, write=self.writing(), **lookup)


class MunicipalityMixin(ScopedMixin):
    """Sets self.municipality from the URL's code."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.municipality = scoping.get_visible_or_404(
            Municipality.objects.select_related("association"), request.user, write=self.writing(),
            code=kwargs["code"])
        self.can_write, self.is_secretariat = scoping.access(request.user, self.municipality)
        # Dates in the member's own association's style (loaded with it above: no query of its own).
        set_date_style(getattr(self.municipality.association, "date_style", None))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(municipality=self.municipality, can_write=self.can_write, is_secretariat=self.is_secretariat)
        return context


class AssociationMixin(ScopedMixin):
    """Sets self.association from the URL's pk: its secretariat's pages, or, with `members_read`, pages the users
    of its members read too (the secretariat alone writes)."""

    members_read = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.association = scoping.association_for(request.user, kwargs["pk"], members_read=self.members_read,
                                                   write=self.writing())
        set_date_style(self.association.date_style)
        # Without members_read only the secretariat gets this far.
        self.can_write = not self.members_read or scoping.is_secretariat(request.user, self.association)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(association=self.association, can_write=self.can_write)
        return context


class AssociationSettingsView(AssociationMixin, ServiceFormView):
    """The association's settings for its members' daily work (the secretariat's)."""

    template_name = "form.html"
    form_class = AssociationSettingsForm
    write = True

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"association": self.association}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": gettext_lazy("Association settings")}

    def save(self, form):
        return services.update_association_settings(actor=self.request.user, via="web", association=self.association,
                                                    **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("orgs:association_settings", args=[self.association.pk])


class OrgFormView(MunicipalityMixin, ServiceFormView):
    """Add a department or a person; the service writes and audits."""

    template_name = "form.html"
    write = True
    title = ""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    list_url = "orgs:staff"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": self.title, "cancel_url": reverse(self.list_url, args=[self.municipality.code])}

    def success_url_for(self, saved) -> str:
        return reverse(self.list_url, args=[self.municipality.code])


class DepartmentCreateView(OrgFormView):
    list_url = "orgs:departments"
    form_class = DepartmentForm
    title = gettext_lazy("Add department")

    def save(self, form):
        return services.create_department(actor=self.request.user, via="web", municipality=self.municipality,
                                          **form.cleaned_data)


class StaffCreateView(OrgFormView):
    form_class = StaffForm
    title = gettext_lazy("Add staff")

    def save(self, form):
        return services.create_staff(actor=self.request.user, via="web", municipality=self.municipality,
                                     **form.cleaned_data)


class AuditLogView(MunicipalityMixin, ListView):
    template_name = "orgs/audit_log.html"
    paginate_by = 100

    def get_queryset(self):
        """The audit pages' one filter and sort (audit.queries.filtered), as the page's CSV applies them."""
        qs = scoping.visible(AuditEntry.objects.filter(municipality=self.municipality), self.request.user)
        return audit_queries.filtered(qs, self.request.GET)


# ---------------------------------------------------------------------------------------------------------------
# 利用者管理: the municipality's admin manages its users (/m/<code>/users/), the association's secretariat admin
# its secretariat users and the first 管理者 of a member (/a/<pk>/users/). Others who read the scope get 403,
# outsiders 404. Every write is a service call (audited); passwords and set-up links are shown once, never kept.


class UserAdminMixin:
    """Comes after the scope mixin (which resolves the municipality or association first): only those who manage
    its users go on."""

    def dispatch(self, request, *args, **kwargs):
        if not self.manages():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def memberships(self):
        return scoping.visible(Membership.objects.filter(**self.scope()), self.request.user, write=self.writing())

    def target(self) -> Membership:
        return self.scoped(Membership.objects.select_related("user", "municipality", "association")
                           .filter(**self.scope()), pk=self.kwargs["membership"])

    def list_url(self) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prefix = self.url_prefix
        names = {"list": prefix + "s", "export": prefix + "s_export"} | {
            action: f"{prefix}_{action}" for action in ("new", "role", "revoke", "deactivate", "reset", "unlock")}
        # The two-factor actions are the accounts app's (it comes after orgs).
        names |= {"two_factor_reset": self.url_prefix.replace("orgs:", "accounts:") + "_two_factor_reset",
                  "two_factor_policy": self.policy_url_name}
        context.update(scope_name=self.scope_name(), list_url=self.list_url(), url_names=names,
                       scope_arg=self.scope_arg(), roles=self.roles(), scope_object=self.scope_object(),
                       policies=TwoFactorPolicy.choices)
        return context


class MunicipalUsers(MunicipalityMixin, UserAdminMixin):
    url_prefix = "orgs:user"
    policy_url_name = "accounts:two_factor_policy"

    def manages(self) -> bool:
        return scoping.manages_municipality(self.request.user, self.municipality)

    def scope(self) -> dict:
        return {"municipality": self.municipality}

    def scope_name(self) -> str:
        return self.municipality.name

    def scope_object(self):
        return self.municipality

    def scope_arg(self):
        return self.municipality.code

    def roles(self):
        return [(role, Membership.Role(role).label) for role in scoping.MUNICIPAL_ROLES]

    def members(self):
        return None

    def list_url(self) -> str:
        return reverse("orgs:users", args=[self.municipality.code])


class AssociationUsers(AssociationMixin, UserAdminMixin):
    url_prefix = "orgs:association_user"
    policy_url_name = "accounts:association_two_factor_policy"

    def manages(self) -> bool:
        return scoping.manages_association(self.request.user, self.association)

    def scope(self) -> dict:
        return {"association": self.association}

    def scope_name(self) -> str:
        return self.association.name

    def scope_object(self):
        return self.association

    def scope_arg(self):
        return self.association.pk

    def roles(self):
        return [(role, Membership.Role(role).label) for role in scoping.SECRETARIAT_ROLES]

    def members(self):
        return scoping.visible(Municipality.objects.members_of(self.association), self.request.user)

    def list_url(self) -> str:
        return reverse("orgs:association_users", args=[self.association.pk])


class _UserList(TemplateView):
    template_name = "orgs/users.html"

    def rows(self):
        get = self.request.GET
        return queries.user_rows(self.memberships(), q=get.get("q", ""), role=get.get("role", ""),
                                 active=get.get("active", ""), sort=get.get("sort", "username"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"rows": self.rows(), "sorts": SORT_LABELS}


SORT_LABELS = [("username", gettext_lazy("Username")), ("name", gettext_lazy("Name")),
               ("role", gettext_lazy("Role")), ("last_login", gettext_lazy("Last login"))]


class _UserExport(_UserList):
    def get(self, request, *args, **kwargs):
        return xlsx_response(users_workbook(self.rows(), self.scope_name()), f"利用者一覧_{self.scope_name()}.xlsx")


class _UserAdd(FormView):
    template_name = "orgs/user_add.html"
    form_class = UserAddForm

    def get_form_kwargs(self):
        roles = self.roles()
        if self.members() is not None:
            roles = [*roles, (Membership.Role.ADMIN, gettext_lazy("Administrator of a member municipality"))]
        return super().get_form_kwargs() | {"roles": roles, "members": self.members()}

    def form_valid(self, form):
        data = form.cleaned_data
        scope = self.scope()
        if data.get("municipality"):
            scope = {"municipality": data["municipality"]}
        password = secrets.token_urlsafe(12) if data["method"] == "password" else None
        try:
            user, token = services.add_user(actor=self.request.user, via="web", username=data["username"],
                                            name=data["name"], role=data["role"], password=password, **scope)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return render(self.request, "orgs/user_secret.html", self.get_context_data(
            done_user=user, password=password, link=self.request.build_absolute_uri(services.setup_path(token))
            if token else None))


class _UserAction(View):
    """A POST on one membership of the scope: the service, a message, back to the list."""

    message = ""

    def action_target(self):
        return self.target()

    def post(self, request, *args, **kwargs):
        membership = self.action_target()
        try:
            result = self.act(membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.list_url())
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, self.message)
        return redirect(self.list_url())


class _UserRole(_UserAction):
    message = gettext_lazy("The role was changed.")

    def act(self, membership):
        form = RoleForm(self.request.POST, roles=self.roles())
        if not form.is_valid():
            raise ValidationError(gettext_lazy("Choose a role."))
        services.change_role(actor=self.request.user, via="web", membership=membership, role=form.cleaned_data["role"])


class _UserRevoke(_UserAction):
    message = gettext_lazy("The role was removed.")

    def act(self, membership):
        services.revoke_role(actor=self.request.user, via="web", membership=membership)


class _UserDeactivate(_UserAction):
    message = gettext_lazy("The user was deactivated.")

    def act(self, membership):
        services.deactivate_user(actor=self.request.user, via="web", user=membership.user, scope=self.scope())


class _UserUnlock(_UserAction):
    message = gettext_lazy("The user was unlocked.")

    def act(self, membership):
        services.unlock_user(actor=self.request.user, via="web", user=membership.user, scope=self.scope())


class _UserReset(_UserAction):
    def act(self, membership):
        token = services.reset_password(actor=self.request.user, via="web", user=membership.user, scope=self.scope())
        context = {"done_user": membership.user, "link": self.request.build_absolute_uri(services.setup_path(token)),
                   "scope_name": self.scope_name(), "list_url": self.list_url(), "reset": True}
        context.update(municipality=getattr(self, "municipality", None), association=getattr(self, "association", None))
        return render(self.request, "orgs/user_secret.html", context)


class UsersView(MunicipalUsers, _UserList):
    pass


class UsersExportView(MunicipalUsers, _UserExport):
    pass


class UserAddView(MunicipalUsers, _UserAdd):
    write = True


class UserRoleView(MunicipalUsers, _UserRole):
    pass


class UserRevokeView(MunicipalUsers, _UserRevoke):
    pass


class UserDeactivateView(MunicipalUsers, _UserDeactivate):
    pass


class UserResetView(MunicipalUsers, _UserReset):
    pass


class UserUnlockView(MunicipalUsers, _UserUnlock):
    pass


class AssociationUsersView(AssociationUsers, _UserList):
    pass


class AssociationUsersExportView(AssociationUsers, _UserExport):
    pass


class AssociationUserAddView(AssociationUsers, _UserAdd):
    write = True


class AssociationUserRoleView(AssociationUsers, _UserRole):
    pass


class AssociationUserRevokeView(AssociationUsers, _UserRevoke):
    pass


class AssociationUserDeactivateView(AssociationUsers, _UserDeactivate):
    pass


class AssociationUserResetView(AssociationUsers, _UserReset):
    pass


class AssociationUserUnlockView(AssociationUsers, _UserUnlock):
    pass


class SetupView(FormView):
    """/accounts/setup/<token>/: the person behind a set-up link chooses a password (no login needed)."""

    template_name = "orgs/setup.html"
    form_class = SetupPasswordForm

    def dispatch(self, request, *args, **kwargs):
        self.setup_user = services.user_for_setup_token(kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"setup_user": self.setup_user}

    def form_valid(self, form):
        try:
            services.set_password_from_link(token=self.kwargs["token"], password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1" if self.setup_user else None, exc)
            return self.form_invalid(form)
        messages.success(self.request, gettext_lazy("Your password was set. Sign in with it."))
        return redirect("login")

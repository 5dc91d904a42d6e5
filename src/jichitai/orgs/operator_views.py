"""団体管理: the installation's operator (運用管理者) registers associations and municipalities and gives each its
first administrator. To anyone else every page here does not exist (404, OperatorMixin).

The operator reads no tenant data here: only the organisations, with how many users hold a role in each. The
forms check what was typed, the services write and audit (association.create, municipality.create,
user.create, membership.grant), and the first 事務局管理者 or 管理者 is added with the 利用者管理 view (_UserAdd).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.sheets.writing import a4_landscape, data_row, new_table, workbook_bytes
from jichitai.core.views import ServiceFormView
from jichitai.core.wareki import format_wareki

from . import scoping, services
from .audit_views import OperatorMixin
from .models import Membership
from .operator_forms import (
    AssociationCreateForm,
    JoinAssociationForm,
    MunicipalityCreateForm,
    OrganisationFilterForm,
)
from .operator_queries import association_or_404, joined_link_or_404, joined_members, members_of, municipality_or_404
from .views import _UserAdd

# ---------------------------------------------------------------------------------------------------------------
# The list and its export.

EXPORT_COLUMNS = [("区分", 14), ("協議会", 28), ("団体コード", 12), ("団体名", 22), ("利用者数", 10), ("うち管理者", 10)]


def organisations_workbook(groups) -> bytes:
    """The list as .xlsx: a row per association (its secretariat's users), then a row per member."""
    workbook, sheet = new_table("団体一覧", "団体一覧（協議会・構成団体）", f"{format_wareki(timezone.localdate())}現在",
                                EXPORT_COLUMNS, header_row=4)
    row = 5
    for group in groups:
        association = group.association
        if association is not None:
            data_row(sheet, row, ["協議会事務局", association.name, "", "", association.users, association.admins])
            row += 1
        for member in group.members:
            data_row(sheet, row, ["構成団体" if association else "協議会に属さない団体",
                                  association.name if association else "", member.code, member.name, member.users,
                                  member.admins])
            row += 1
    a4_landscape(sheet, header_row=4)
    return workbook_bytes(workbook)


class OperatorHomeView(OperatorMixin, TemplateView):
    template_name = "orgs/operator_home.html"

    def get_context_data(self, **kwargs):
        form = OrganisationFilterForm(self.request.GET)
        return super().get_context_data(**kwargs) | {"form": form, "groups": form.organisations(),
                                                     "export_query": form.query()}


class OrganisationsExportView(OperatorMixin, View):
    def get(self, request):
        return xlsx_response(organisations_workbook(OrganisationFilterForm(request.GET).organisations()),
                             "団体一覧.xlsx")


# ---------------------------------------------------------------------------------------------------------------
# Creating organisations.


class OperatorFormView(OperatorMixin, ServiceFormView):
    template_name = "form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "cancel_url": reverse("operator:home")}

    def success_url_for(self, saved) -> str:
        return reverse("operator:home")


class AssociationCreateView(OperatorFormView):
    form_class = AssociationCreateForm
    title = _("Register an association")
    success_message = _("The association was registered. Add its first secretariat administrator.")

    def save(self, form):
        association, created = services.get_or_create_association(actor=self.request.user, via="web",
                                                                   name=form.cleaned_data["name"],
                                                                   prefecture=form.cleaned_data["prefecture"])
        if not created:  # registered meanwhile by someone else: nothing was written
            raise ValidationError(_("An association named “%(name)s” is already registered."),
                                  params={"name": association.name})
        return association


class MunicipalityCreateView(OperatorFormView):
    form_class = MunicipalityCreateForm
    title = _("Register a municipality")
    success_message = _("The municipality was registered. Add its first administrator.")

    def get_initial(self):
        # "Register a member" on an association's row of the list.
        association = self.request.GET.get("association", "")
        return {"association": association} if association.isdigit() else {}

    def save(self, form):
        return services.create_municipality(actor=self.request.user, via="web", **form.cleaned_data)


# ---------------------------------------------------------------------------------------------------------------
# The first 事務局管理者 or 管理者, with the view of 利用者管理 (form, service, the password or set-up link shown
# once). The scope's own 利用者管理 pages resolve it through `visible`, which gives the operator nothing.


class _Organisation:
    """After OperatorMixin: the organisation of the URL (404 when there is none)."""

    def dispatch(self, request, *args, **kwargs):
        self.resolve()
        return super().dispatch(request, *args, **kwargs)


class OperatorUserAdd(OperatorMixin, _Organisation, _UserAdd):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"scope_name": self.scope_name(),
                                                     "list_url": reverse("operator:home")}


class AssociationUserAddView(OperatorUserAdd):
    """The association's secretariat users, and the first 管理者 of one of its members."""

    def resolve(self):
        self.association = association_or_404(self.kwargs["pk"])

    def scope(self) -> dict:
        return {"association": self.association}

    def scope_name(self) -> str:
        return self.association.name

    def roles(self):
        return [(role, Membership.Role(role).label) for role in reversed(scoping.SECRETARIAT_ROLES)]

    def members(self):
        return members_of(self.association)


class MunicipalityUserAddView(OperatorUserAdd):
    def resolve(self):
        self.municipality = municipality_or_404(self.kwargs["code"])

    def scope(self) -> dict:
        return {"municipality": self.municipality}

    def scope_name(self) -> str:
        return self.municipality.name

    def roles(self):
        return [(role, Membership.Role(role).label) for role in scoping.MUNICIPAL_ROLES]

    def members(self):
        return None


# ---------------------------------------------------------------------------------------------------------------
# Members that joined an association besides their own (a wide-area union, a cloud group).


class JoinedMembersView(OperatorMixin, _Organisation, ServiceFormView):
    """The association's joined members, a form to add one, and a button to remove each."""

    template_name = "orgs/joined_members.html"
    form_class = JoinAssociationForm
    success_message = _("The municipality now also belongs to this association.")

    def resolve(self):
        self.association = association_or_404(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        links = joined_members(self.association)
        return super().get_context_data(**kwargs) | {"association": self.association, "links": links,
                                                     "own_members": members_of(self.association).count()}

    def save(self, form):
        return services.join_association(actor=self.request.user, via="web", association=self.association,
                                         municipality=form.cleaned_data["code"], kind=form.cleaned_data["kind"])

    def success_url_for(self, saved) -> str:
        return reverse("operator:joined_members", kwargs={"pk": self.association.pk})


class LeaveAssociationView(OperatorMixin, _Organisation, View):
    def resolve(self):
        self.association = association_or_404(self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        link = joined_link_or_404(self.association, self.kwargs["link"])
        services.leave_association(actor=request.user, via="web", link=link)
        messages.success(request, _("The municipality no longer belongs to this association."))
        return redirect("operator:joined_members", pk=self.association.pk)

"""Shared view plumbing: every municipality page resolves its municipality through the scoping function."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from jichitai.audit.models import AuditEntry
from jichitai.core.views import ServiceFormView

from . import scoping, services
from .forms import DepartmentForm, StaffForm
from .models import Department, Municipality, Staff

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
        # Without members_read only the secretariat gets this far.
        self.can_write = not self.members_read or scoping.is_secretariat(request.user, self.association)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(association=self.association, can_write=self.can_write)
        return context


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        target = scoping.home_target(request.user)
        if target is None:
            return render(request, "orgs/no_access.html")
        kind, obj = target
        if kind == "association":
            return redirect("processes:association", pk=obj.pk)
        return redirect("processes:matrix", code=obj.code)


class StaffListView(MunicipalityMixin, ListView):
    template_name = "orgs/staff.html"
    paginate_by = 100

    def get_queryset(self):
        qs = scoping.visible(Staff.objects.filter(municipality=self.municipality), self.request.user)
        if role := self.request.GET.get("role"):
            qs = qs.filter(role=role)
        if q := self.request.GET.get("q"):
            qs = qs.filter(name__icontains=q)
        return qs.select_related("department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = Staff.Role.choices
        context["departments"] = scoping.visible(Department.objects.filter(municipality=self.municipality),
                                                 self.request.user)
        return context


class OrgFormView(MunicipalityMixin, ServiceFormView):
    """Add a department or a person; the service writes and audits."""

    template_name = "form.html"
    write = True
    title = ""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title,
                                                     "cancel_url": reverse("orgs:staff", args=[self.municipality.code])}

    def success_url_for(self, saved) -> str:
        return reverse("orgs:staff", args=[self.municipality.code])


class DepartmentCreateView(OrgFormView):
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
        qs = scoping.visible(AuditEntry.objects.filter(municipality=self.municipality), self.request.user)
        if action := self.request.GET.get("action"):
            qs = qs.filter(action__startswith=action)
        if actor := self.request.GET.get("actor"):
            qs = qs.filter(actor_name__icontains=actor)
        return qs

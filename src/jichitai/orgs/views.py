"""Shared view plumbing: every municipality page resolves its municipality through the scoping function."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from jichitai.audit.models import AuditEntry

from . import scoping, services
from .forms import DepartmentForm, StaffForm
from .models import Association, Department, Municipality, Staff

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class MunicipalityMixin(LoginRequiredMixin):
    """Sets self.municipality from the URL's code; 404 for outsiders, 403 for readers asked to write.

    Any unsafe method (POST…) needs write access; `write = True` requires it for reading too (edit forms).
    """

    write = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.municipality = scoping.get_visible_or_404(
            Municipality.objects.select_related("association"), request.user,
            write=self.write or request.method not in SAFE_METHODS, code=kwargs["code"],
        )
        self.can_write = scoping.can_write(request.user, self.municipality)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(municipality=self.municipality, can_write=self.can_write)
        return context


class AssociationMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.association = scoping.get_visible_or_404(
            Association.objects.all(), request.user, write=request.method not in SAFE_METHODS, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


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


class OrgFormView(MunicipalityMixin, FormView):
    """Add a department or a person; the service writes and audits."""

    template_name = "orgs/form.html"
    write = True
    create = None  # the service function
    title = ""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            type(self).create(actor=self.request.user, via="web", municipality=self.municipality, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("orgs:staff", code=self.municipality.code)


class DepartmentCreateView(OrgFormView):
    form_class = DepartmentForm
    create = services.create_department
    title = gettext_lazy("Add department")


class StaffCreateView(OrgFormView):
    form_class = StaffForm
    create = services.create_staff
    title = gettext_lazy("Add staff")


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

"""Shared view plumbing: every municipality page resolves its municipality through the scoping function."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import ListView

from . import scoping
from .models import Association, Municipality, Staff

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
        self.association = scoping.get_visible_or_404(Association.objects.all(), request.user, pk=kwargs["pk"])
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
        return context

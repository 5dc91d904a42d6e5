"""Pages of the incident register, an incident's response, drills, and the association's view. Thin."""

from functools import cached_property

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin

from . import queries, rules, services
from .export import register_bytes
from .forms import (
    DrillForm,
    IncidentFilterForm,
    IncidentForm,
    MeasureForm,
    PhaseForm,
    SettingsForm,
    drill_form_kwargs,
)
from .models import Drill, Incident, IncidentSettings, Measure


class IncidentMixin(MunicipalityMixin):
    def get_incident(self, pk) -> Incident:
        return self.scoped(Incident.objects.filter(municipality=self.municipality).select_related(
            "department", "municipality"), pk=pk)

    def preliminary_days(self) -> int:
        return services.preliminary_days_for(self.municipality)


class RegisterMixin(IncidentMixin):
    def filtered(self):
        form = IncidentFilterForm(self.request.GET or None, municipality=self.municipality)
        qs = visible(Incident.objects.filter(municipality=self.municipality), self.request.user)
        return form, queries.register(qs, form.params(), self.preliminary_days(), timezone.localdate())


class RegisterView(RegisterMixin, TemplateView):
    """The register, 50 incidents a page: filtered, counted and sorted in SQL; the rules assess the page's rows only.
    Queries: COUNT, the page, its processes, the overdue COUNT, the follow-up COUNT, whatever the size and page."""

    template_name = "incidents/register.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = IncidentFilterForm(self.request.GET or None, municipality=self.municipality)
        params, today, days = form.params(), timezone.localdate(), self.preliminary_days()
        qs = queries.register_queryset(visible(Incident.objects.filter(municipality=self.municipality),
                                               self.request.user), params, days, today)
        page = Paginator(queries.with_rows(qs), self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(form=form, incidents=queries.register_rows(page.object_list, days, today), page_obj=page,
                       is_paginated=page.paginator.num_pages > 1, total=page.paginator.count,
                       overdue=queries.overdue_count(qs, days, today), preliminary_days=days,
                       export_query=self.request.GET.urlencode(),
                       follow_ups=queries.open_follow_up_count([self.municipality.pk]))
        return context


class RegisterExportView(RegisterMixin, View):
    def get(self, request, *args, **kwargs):
        _form, incidents = self.filtered()
        return xlsx_response(register_bytes(self.municipality, incidents, timezone.localdate()),
                             f"incidents_{self.municipality.code}.xlsx")


class IncidentFormView(IncidentMixin, ServiceFormView):
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm
    write = True

    def get_form_kwargs(self):
        self.incident = self.get_incident(self.kwargs["incident"]) if "incident" in self.kwargs else None
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.incident}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"incident": self.incident}

    def save(self, form):
        # A fresh copy: the form has already changed its instance, the service needs the stored values.
        return services.save_incident(
            actor=self.request.user, via="web", municipality=self.municipality,
            incident=self.get_incident(self.incident.pk) if self.incident else None,
            processes=form.cleaned_data["processes"], **form.service_fields())

    def success_url_for(self, saved) -> str:
        return reverse("incidents:detail", args=[self.municipality.code, saved.pk])


class IncidentPageMixin(IncidentMixin):
    """The incident page (shown by GET), with the forms that post from it."""

    template_name = "incidents/detail.html"

    @cached_property
    def incident(self) -> Incident:
        return self.get_incident(self.kwargs["incident"])

    def page(self, **forms) -> dict:
        incident = self.incident
        data = queries.incident_page(incident, self.preliminary_days(), timezone.localdate())
        return self.get_context_data(
            **data, phase_form=forms.get("phase_form") or PhaseForm(initial={"at": timezone.localtime()}),
            measure_form=forms.get("measure_form") or MeasureForm(municipality=self.municipality),
            grounds=[(g, g.number in incident.assessment.grounds) for g in rules.GROUNDS])

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.page())


class DetailView(IncidentPageMixin, TemplateView):
    """The incident with its assessment at once, the phase timeline and the measures."""


class IncidentPageFormView(IncidentPageMixin, ServiceFormView):
    """A form posted from the incident page (a phase, a measure). A mistake shows the page again, as 400."""

    form_name = ""  # the name the incident page gives the form

    def form_invalid(self, form):
        return self.render_to_response(self.page(**{self.form_name: form}), status=400)

    def success_url_for(self, saved) -> str:
        return reverse("incidents:detail", args=[self.municipality.code, self.incident.pk])


class PhaseCreateView(IncidentPageFormView):
    form_class = PhaseForm
    form_name = "phase_form"

    def save(self, form):
        return services.add_phase(actor=self.request.user, via="web", incident=self.incident, **form.cleaned_data)


class MeasureCreateView(IncidentPageFormView):
    form_class = MeasureForm
    form_name = "measure_form"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def save(self, form):
        return services.save_measure(actor=self.request.user, via="web", incident=self.incident, **form.cleaned_data)


class MeasureEditView(IncidentMixin, ServiceFormView):
    template_name = "incidents/measure_form.html"
    form_class = MeasureForm
    write = True

    def get_measure(self) -> Measure:
        return self.scoped(Measure.objects.filter(incident__municipality=self.municipality)
                           .select_related("incident__municipality"), pk=self.kwargs["measure"])

    def get_form_kwargs(self):
        self.measure = self.get_measure()
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.measure}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"measure": self.measure, "incident": self.measure.incident}

    def save(self, form):
        # A fresh copy, as for incidents: the form has already changed self.measure.
        return services.save_measure(actor=self.request.user, via="web", incident=self.measure.incident,
                                     measure=self.get_measure(), **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("incidents:detail", args=[self.municipality.code, self.measure.incident_id])


class FollowUpsView(MunicipalityMixin, TemplateView):
    template_name = "incidents/follow_ups.html"

    def get_context_data(self, **kwargs):
        # The municipality was resolved through orgs.scoping by MunicipalityMixin.
        return super().get_context_data(**kwargs) | {"measures": queries.open_follow_ups([self.municipality.pk])}


# ---- Drills ----


class DrillsView(MunicipalityMixin, TemplateView):
    template_name = "incidents/drills.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "drills": queries.municipality_drills(self.request.user, self.municipality)}


class DrillFormMixin:
    """Record or change a drill of its organiser: a municipality, or an association (a joint drill with
    participants from the members' staff). Each participant is counted as trained."""

    template_name = "form.html"
    form_class = DrillForm
    success_message = gettext_lazy("Saved. The drill counts as training for its participants.")

    def organiser(self) -> dict:
        raise NotImplementedError

    def drills_url(self) -> str:
        raise NotImplementedError

    def get_drill(self) -> Drill | None:
        if "drill" not in self.kwargs:
            return None
        return self.scoped(Drill.objects.filter(**self.organiser()), pk=self.kwargs["drill"])

    def get_form_kwargs(self):
        self.drill = self.get_drill()
        return super().get_form_kwargs() | drill_form_kwargs(self.request.user, **self.organiser()) | {
            "instance": self.drill}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Edit drill") if self.drill else _("Record drill"), "cancel_url": self.drills_url()}

    def save(self, form):
        # A fresh copy: the form has already changed self.drill.
        return services.save_drill(actor=self.request.user, via="web", drill=self.get_drill(), **self.organiser(),
                                   **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return self.drills_url()


class DrillFormView(DrillFormMixin, MunicipalityMixin, ServiceFormView):
    write = True

    def organiser(self) -> dict:
        return {"municipality": self.municipality}

    def drills_url(self) -> str:
        return reverse("incidents:drills", args=[self.municipality.code])


# ---- Association ----


class AssociationView(AssociationMixin, TemplateView):
    """The secretariat's read-only view of its members' open incidents, overdue reports first in colour."""

    template_name = "incidents/association.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        members = visible(Municipality.objects.members_of(self.association), user).values("id")
        incidents = queries.member_incidents(members, timezone.localdate())
        settings = visible(IncidentSettings.objects.filter(association=self.association), user).first()
        context.update(incidents=incidents, overdue=sum(1 for i in incidents if i.overdue),
                       drills=queries.association_drills(user, self.association),
                       preliminary_days=settings.preliminary_days if settings else rules.DEFAULT_PRELIMINARY_DAYS)
        return context


class SettingsView(AssociationMixin, ServiceFormView):
    template_name = "form.html"
    form_class = SettingsForm

    def get_form_kwargs(self):
        current = visible(IncidentSettings.objects.filter(association=self.association), self.request.user).first()
        return super().get_form_kwargs() | {"instance": current}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Incident settings"), "cancel_url": reverse("incidents:association", args=[self.association.pk])}

    def save(self, form):
        return services.save_settings(actor=self.request.user, via="web", association=self.association,
                                      preliminary_days=form.cleaned_data["preliminary_days"])

    def success_url_for(self, saved) -> str:
        return reverse("incidents:association", args=[self.association.pk])


class AssociationDrillFormView(DrillFormMixin, AssociationMixin, ServiceFormView):
    def organiser(self) -> dict:
        return {"association": self.association}

    def drills_url(self) -> str:
        return reverse("incidents:association", args=[self.association.pk])

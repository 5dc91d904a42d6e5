"""Pages of the incident register, an incident's response, drills, and the association's view. Thin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin

from . import queries, rules, services
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

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IncidentMixin(MunicipalityMixin):
    def writing(self) -> bool:
        return self.write or self.request.method not in ("GET", "HEAD")

    def get_incident(self, pk) -> Incident:
        return get_visible_or_404(Incident.objects.filter(municipality=self.municipality).select_related(
            "department", "municipality"), self.request.user, write=self.writing(), pk=pk)

    def preliminary_days(self) -> int:
        return services.preliminary_days_for(self.municipality)


class RegisterMixin(IncidentMixin):
    def filtered(self):
        form = IncidentFilterForm(self.request.GET or None, municipality=self.municipality)
        qs = visible(Incident.objects.filter(municipality=self.municipality), self.request.user)
        return form, queries.register(qs, form.params(), self.preliminary_days(), timezone.localdate())


class RegisterView(RegisterMixin, TemplateView):
    template_name = "incidents/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, incidents = self.filtered()
        context.update(form=form, incidents=incidents, overdue=sum(1 for i in incidents if i.overdue),
                       preliminary_days=self.preliminary_days(), export_query=self.request.GET.urlencode(),
                       follow_ups=len(queries.open_follow_ups([self.municipality.pk])))
        return context


class RegisterExportView(RegisterMixin, View):
    def get(self, request, *args, **kwargs):
        from .export import register_bytes

        _form, incidents = self.filtered()
        response = HttpResponse(register_bytes(self.municipality, incidents, timezone.localdate()), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="incidents_{self.municipality.code}.xlsx"'
        return response


class IncidentFormView(IncidentMixin, FormView):
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm
    write = True

    def get_form_kwargs(self):
        self.incident = self.get_incident(self.kwargs["incident"]) if "incident" in self.kwargs else None
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.incident}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"incident": self.incident}

    def form_valid(self, form):
        try:
            # A fresh copy: the form has already changed its instance, the service needs the stored values.
            incident = services.save_incident(
                actor=self.request.user, via="web", municipality=self.municipality,
                incident=self.get_incident(self.incident.pk) if self.incident else None,
                processes=form.cleaned_data["processes"], **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("incidents:detail", code=self.municipality.code, incident=incident.pk)


class DetailView(IncidentMixin, TemplateView):
    """The incident with its assessment at once, the phase timeline and the measures."""

    template_name = "incidents/detail.html"

    def page(self, incident, **forms):
        data = queries.incident_page(incident, self.preliminary_days(), timezone.localdate())
        return self.get_context_data(
            **data, phase_form=forms.get("phase_form") or PhaseForm(initial={"at": timezone.localtime()}),
            measure_form=forms.get("measure_form") or MeasureForm(municipality=self.municipality),
            grounds=[(g, g.number in incident.assessment.grounds) for g in rules.GROUNDS])

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.page(self.get_incident(kwargs["incident"])))


class PhaseCreateView(DetailView):
    def post(self, request, *args, **kwargs):
        incident = self.get_incident(kwargs["incident"])
        form = PhaseForm(request.POST)
        if form.is_valid():
            try:
                services.add_phase(actor=request.user, via="web", incident=incident, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("incidents:detail", code=self.municipality.code, incident=incident.pk)
        return self.render_to_response(self.page(incident, phase_form=form), status=400)


class MeasureCreateView(DetailView):
    def post(self, request, *args, **kwargs):
        incident = self.get_incident(kwargs["incident"])
        form = MeasureForm(request.POST, municipality=self.municipality)
        if form.is_valid():
            try:
                services.save_measure(actor=request.user, via="web", incident=incident, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("incidents:detail", code=self.municipality.code, incident=incident.pk)
        return self.render_to_response(self.page(incident, measure_form=form), status=400)


class MeasureEditView(IncidentMixin, FormView):
    template_name = "incidents/measure_form.html"
    form_class = MeasureForm
    write = True

    def get_measure(self) -> Measure:
        return get_visible_or_404(Measure.objects.filter(incident__municipality=self.municipality)
                                  .select_related("incident__municipality"), self.request.user, write=True,
                                  pk=self.kwargs["measure"])

    def get_form_kwargs(self):
        self.measure = self.get_measure()
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.measure}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"measure": self.measure, "incident": self.measure.incident}

    def form_valid(self, form):
        try:
            services.save_measure(actor=self.request.user, via="web", incident=self.measure.incident,
                                  measure=self.get_measure(), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("incidents:detail", code=self.municipality.code, incident=self.measure.incident_id)


class FollowUpsView(MunicipalityMixin, TemplateView):
    template_name = "incidents/follow_ups.html"

    def get_context_data(self, **kwargs):
        ids = visible(Municipality.objects.filter(pk=self.municipality.pk), self.request.user).values("id")
        return super().get_context_data(**kwargs) | {"measures": queries.open_follow_ups(ids)}


# ---- Drills ----


class DrillsView(MunicipalityMixin, TemplateView):
    template_name = "incidents/drills.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "drills": queries.municipality_drills(self.request.user, self.municipality)}


class DrillFormView(MunicipalityMixin, FormView):
    template_name = "incidents/drill_form.html"
    form_class = DrillForm
    write = True

    def get_drill(self):
        if "drill" not in self.kwargs:
            return None
        return get_visible_or_404(Drill.objects.filter(municipality=self.municipality), self.request.user,
                                  write=True, pk=self.kwargs["drill"])

    def get_form_kwargs(self):
        self.drill = self.get_drill()
        return super().get_form_kwargs() | drill_form_kwargs(self.request.user, municipality=self.municipality) | {
            "instance": self.drill}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"drill": self.drill, "cancel": "incidents:drills"}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            services.save_drill(actor=self.request.user, via="web", municipality=self.municipality,
                                drill=self.get_drill(), **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The drill counts as training for its participants."))
        return redirect("incidents:drills", code=self.municipality.code)


# ---- Association ----


class AssociationView(AssociationMixin, TemplateView):
    """The secretariat's read-only view of its members' open incidents, overdue reports first in colour."""

    template_name = "incidents/association.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = visible(Municipality.objects.filter(association=self.association), self.request.user).values("id")
        incidents = queries.member_incidents(members, timezone.localdate())
        settings = IncidentSettings.objects.filter(association=self.association).first()
        context.update(association=self.association, incidents=incidents,
                       overdue=sum(1 for i in incidents if i.overdue), drills=queries.association_drills(self.association),
                       preliminary_days=settings.preliminary_days if settings else rules.DEFAULT_PRELIMINARY_DAYS)
        return context


class SettingsView(AssociationMixin, FormView):
    template_name = "incidents/settings.html"
    form_class = SettingsForm

    def get_form_kwargs(self):
        current = IncidentSettings.objects.filter(association=self.association).first()
        return super().get_form_kwargs() | {"instance": current}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"association": self.association}

    def form_valid(self, form):
        services.save_settings(actor=self.request.user, via="web", association=self.association,
                               preliminary_days=form.cleaned_data["preliminary_days"])
        messages.success(self.request, _("Saved."))
        return redirect("incidents:association", pk=self.association.pk)


class AssociationDrillFormView(AssociationMixin, FormView):
    """A joint drill: participants from the members' staff, each counted as trained."""

    template_name = "incidents/drill_form.html"
    form_class = DrillForm

    def get_drill(self):
        if "drill" not in self.kwargs:
            return None
        return queries.association_drill_or_404(self.association, self.kwargs["drill"])

    def get_form_kwargs(self):
        self.drill = self.get_drill()
        return super().get_form_kwargs() | drill_form_kwargs(self.request.user, association=self.association) | {
            "instance": self.drill}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"association": self.association, "drill": self.drill,
                                                     "cancel": "incidents:association"}

    def form_valid(self, form):
        try:
            services.save_drill(actor=self.request.user, via="web", association=self.association,
                                drill=self.get_drill(), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The drill counts as training for its participants."))
        return redirect("incidents:association", pk=self.association.pk)

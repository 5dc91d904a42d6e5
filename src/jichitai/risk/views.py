from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin
from jichitai.processes.models import Process

from . import services
from .forms import RiskSettingsForm
from .models import RiskSettings
from .queries import (
    association_distribution,
    municipality_picture,
    settings_for,
    settings_for_association,
    top_residuals,
)


class MunicipalityRiskView(MunicipalityMixin, TemplateView):
    template_name = "risk/municipality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        level = settings_for(self.municipality).acceptance_level
        processes = visible(Process.objects.filter(municipality=self.municipality), self.request.user)
        if q := self.request.GET.get("q"):
            processes = processes.filter(name__icontains=q)
        picture = municipality_picture(processes, level)
        context.update(picture, level=level, top=top_residuals(processes),
                       threat_axis=[1, 2, 3], vulnerability_axis=[3, 2, 1])
        return context


class AssociationRiskView(AssociationMixin, TemplateView):
    template_name = "risk/association.html"
    SORTS = ("code", "name", "documented", "rows", "analysed", "attention", "watch")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        level = settings_for_association(self.association.pk).acceptance_level
        members = visible(Municipality.objects.filter(association=self.association), self.request.user)
        rows = association_distribution(members, level)
        sort = self.request.GET.get("sort", "code")
        if sort in self.SORTS:
            rows.sort(key=lambda m: getattr(m, sort), reverse=sort not in ("code", "name"))
        context.update(association=self.association, level=level, members=rows, sort=sort)
        return context


class RiskSettingsView(AssociationMixin, FormView):
    """The association's asset-value method and acceptance level; changing them recomputes members' scores."""

    template_name = "risk/settings.html"
    form_class = RiskSettingsForm

    def get_form_kwargs(self):
        instance = RiskSettings.objects.filter(association=self.association).first()
        return super().get_form_kwargs() | {"instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"association": self.association}

    def form_valid(self, form):
        services.update_settings(actor=self.request.user, via="web", association=self.association,
                                 **form.cleaned_data)
        messages.success(self.request, _("Saved. Every member's scores were recomputed."))
        return redirect("risk:settings", pk=self.association.pk)

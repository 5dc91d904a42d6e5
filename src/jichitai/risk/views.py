from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from jichitai.core.views import ServiceFormView
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
        members = visible(Municipality.objects.members_of(self.association), self.request.user)
        rows = association_distribution(members, level)
        sort = self.request.GET.get("sort", "code")
        if sort in self.SORTS:
            rows.sort(key=lambda m: getattr(m, sort), reverse=sort not in ("code", "name"))
        context.update(level=level, members=rows, sort=sort)
        return context


class RiskSettingsView(AssociationMixin, ServiceFormView):
    """The association's asset-value method and acceptance level; changing them recomputes members' scores."""

    template_name = "form.html"
    form_class = RiskSettingsForm
    write = True
    success_message = gettext_lazy("Saved. Every member's scores were recomputed.")
    title = gettext_lazy("Risk settings")
    help = gettext_lazy("Changing the method recomputes 資産価値, 総合評価 and 残存評価 of every member's rows.")

    def get_form_kwargs(self):
        # None until the association first saves its settings: the form then shows the defaults.
        instance = visible(RiskSettings.objects.filter(association=self.association), self.request.user,
                           write=True).first()
        return super().get_form_kwargs() | {"instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "help": self.help}

    def save(self, form):
        return services.update_settings(actor=self.request.user, via="web", association=self.association,
                                        **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("risk:settings", args=[self.association.pk])

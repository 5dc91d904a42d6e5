"""Ordinances (条例) of independent uses: the list, one ordinance with its amendments, and its corrections,
amendments, repeal and (while nothing rests on it) deletion. Every write is one service call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.views import ServiceFormView
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import MunicipalityMixin

from . import services
from .forms import OrdinanceAmendmentForm, OrdinanceEditForm, OrdinanceForm, OrdinanceRepealForm
from .models import Ordinance, OrdinanceAmendment


class OrdinanceListView(MunicipalityMixin, ServiceFormView):
    template_name = "processes/ordinances.html"
    form_class = OrdinanceForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        ordinances = list(visible(Ordinance.objects.filter(municipality=self.municipality), self.request.user))
        return super().get_context_data(**kwargs) | {
            "ordinances": [(o, o.in_force(today)) for o in ordinances], "today": today}

    def save(self, form):
        return services.create_ordinance(actor=self.request.user, via="web", municipality=self.municipality,
                                         **{name: form.cleaned_data[name] for name in form.Meta.fields})

    def success_url_for(self, saved) -> str:
        return reverse("processes:ordinances", args=[self.municipality.code])


class OrdinanceMixin(MunicipalityMixin):
    def get_ordinance(self) -> Ordinance:
        return self.scoped(Ordinance.objects.filter(municipality=self.municipality), pk=self.kwargs["ordinance"])

    def detail_url(self, ordinance) -> str:
        return reverse("processes:ordinance", args=[self.municipality.code, ordinance.pk])


class OrdinanceDetailView(OrdinanceMixin, TemplateView):
    template_name = "processes/ordinance_detail.html"

    def get_context_data(self, **kwargs):
        ordinance = self.get_ordinance()
        amendments = visible(OrdinanceAmendment.objects.filter(ordinance=ordinance), self.request.user)
        processes = visible(ordinance.processes.all(), self.request.user).order_by("name")
        return super().get_context_data(**kwargs) | {
            "ordinance": ordinance, "amendments": amendments.order_by("-amended_on", "-id"), "processes": processes,
            "in_force": ordinance.in_force(timezone.localdate())}


class OrdinanceFormView(OrdinanceMixin, ServiceFormView):
    template_name = "form.html"
    write = True
    title = ""

    def get_form_kwargs(self):
        self.ordinance = self.get_ordinance()
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": f"{self.ordinance} {self.title}", "cancel_url": self.detail_url(self.ordinance),
            "help": getattr(self, "help", "")}

    def success_url_for(self, saved) -> str:
        return self.detail_url(self.ordinance)


class OrdinanceEditView(OrdinanceFormView):
    form_class = OrdinanceEditForm
    title = "修正"
    help = "登録内容の誤りを直します。改正は「改正を記録」で日付とともに記録してください。"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form edits its own copy: the service compares against the stored row.
        return kwargs | {"municipality": self.municipality, "instance": self.get_ordinance()}

    def save(self, form):
        return services.update_ordinance(actor=self.request.user, via="web", ordinance=self.ordinance,
                                         **{name: form.cleaned_data[name] for name in form.Meta.fields})


class OrdinanceAmendView(OrdinanceFormView):
    form_class = OrdinanceAmendmentForm
    title = "改正を記録"

    def save(self, form):
        return services.amend_ordinance(actor=self.request.user, via="web", ordinance=self.ordinance,
                                        **{name: form.cleaned_data[name] for name in form.Meta.fields})


class OrdinanceRepealView(OrdinanceFormView):
    form_class = OrdinanceRepealForm
    title = "廃止"
    help = "廃止日から効力を失います。この条例に基づく事務は、廃止日以降の基準日でチェックリストに表示されます。"

    def save(self, form):
        return services.repeal_ordinance(actor=self.request.user, via="web", ordinance=self.ordinance,
                                         on=form.cleaned_data["on"])


class OrdinanceDeleteView(OrdinanceMixin, View):
    """POST: delete an ordinance nothing rests on; one that is referenced is refused (repeal it instead)."""

    def post(self, request, *args, **kwargs):
        ordinance = self.get_ordinance()
        try:
            services.delete_ordinance(actor=request.user, via="web", ordinance=ordinance)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.detail_url(ordinance))
        messages.success(request, "条例を削除しました。")
        return redirect("processes:ordinances", code=self.municipality.code)

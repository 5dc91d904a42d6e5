"""Pages of SPI files and their evaluations. Thin: queries read, services write."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import docx_response, xlsx_response
from jichitai.core.views import ServiceFormView
from jichitai.orgs.views import MunicipalityMixin

from . import services
from .forms import EvaluationForm, ImportantChangeForm, PiaFilterForm, SpiFileForm
from .models import Evaluation, ImportantChange, SpiFile
from .queries import file_rows, files_with_history, filter_rows, serious_incident_dates, state_of


class PiaMixin(MunicipalityMixin):
    """Resolves the URL's file, evaluation or change within the municipality through the scoping function."""

    def get_file(self, pk) -> SpiFile:
        return self.scoped(SpiFile.objects.filter(municipality=self.municipality).select_related("municipality"),
                           pk=pk)

    def get_evaluation(self, pk) -> Evaluation:
        return self.scoped(Evaluation.objects.filter(spi_file__municipality=self.municipality)
                           .select_related("spi_file__municipality"), pk=pk)

    def get_change(self, pk) -> ImportantChange:
        return self.scoped(ImportantChange.objects.filter(spi_file__municipality=self.municipality)
                           .select_related("spi_file__municipality"), pk=pk)

    def filtered(self):
        form = PiaFilterForm(self.request.GET or None)
        rows = file_rows(self.request.user, self.municipality, timezone.localdate())
        return form, rows, filter_rows(rows, **form.params())


class PiaView(PiaMixin, TemplateView):
    """Every file of the municipality: required vs done, due dates, what is overdue or overtaken."""

    template_name = "pia/municipality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, rows, shown = self.filtered()
        context.update(form=form, rows=shown, total=len(rows), overdue=sum(r.state.overdue for r in rows),
                       flagged=sum(bool(r.state.flags) for r in rows), export_query=self.request.GET.urlencode())
        return context


class PiaExportView(PiaMixin, View):
    def get(self, request, *args, **kwargs):
        from .export import files_bytes

        _form, _rows, shown = self.filtered()
        return xlsx_response(files_bytes(self.municipality, shown, timezone.localdate()),
                             f"pia_{self.municipality.code}.xlsx")


class FileView(PiaMixin, TemplateView):
    template_name = "pia/file.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spi_file = self.scoped(files_with_history(SpiFile.objects.filter(municipality=self.municipality)),
                               pk=kwargs["spi_file"])
        state = state_of(spi_file, serious_incident_dates([self.municipality.id]), timezone.localdate())
        context.update(spi_file=spi_file, state=state, evaluations=list(spi_file.evaluations.all()),
                       changes=list(spi_file.changes.all()), processes=list(spi_file.processes.all()))
        return context


class PiaFormView(PiaMixin, ServiceFormView):
    """A form about one file (the file itself, an evaluation, a change): saved by its service, then the file's page.

    get_form_kwargs resolves the URL's objects and sets self.spi_file (None for a new file).
    """

    template_name = "form.html"
    write = True

    def title(self) -> str:
        raise NotImplementedError

    def file_url(self, spi_file) -> str:
        return reverse("pia:file", args=[self.municipality.code, spi_file.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves the objects
        cancel_url = (self.file_url(self.spi_file) if self.spi_file
                      else reverse("pia:municipality", args=[self.municipality.code]))
        return context | {"title": self.title(), "cancel_url": cancel_url}

    def success_url_for(self, saved) -> str:
        return self.file_url(self.spi_file or saved)


class FileFormView(PiaFormView):
    form_class = SpiFileForm

    def get_form_kwargs(self):
        self.spi_file = self.get_file(self.kwargs["spi_file"]) if "spi_file" in self.kwargs else None
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.spi_file}

    def title(self) -> str:
        return _("Edit file") if self.spi_file else _("Add 特定個人情報ファイル")

    def save(self, form):
        # A fresh copy: the form has already changed its instance, the service needs the stored values.
        return services.save_file(
            actor=self.request.user, via="web", municipality=self.municipality,
            spi_file=self.get_file(self.spi_file.pk) if self.spi_file else None,
            processes=list(form.cleaned_data["processes"]), **form.fields_for_service())


class EvaluationFormView(PiaFormView):
    form_class = EvaluationForm
    warnings = ()  # the service's guidance on the dates saved, shown after the success message

    def get_form_kwargs(self):
        self.evaluation = self.get_evaluation(self.kwargs["evaluation"]) if "evaluation" in self.kwargs else None
        self.spi_file = self.evaluation.spi_file if self.evaluation else self.get_file(self.kwargs["spi_file"])
        return super().get_form_kwargs() | {"instance": self.evaluation}

    def title(self) -> str:
        title = _("Edit evaluation") if self.evaluation else _("Add evaluation")
        return f"{title}: {self.spi_file.name}"

    def save(self, form):
        evaluation, self.warnings = services.save_evaluation(
            actor=self.request.user, via="web", spi_file=self.spi_file,
            evaluation=self.get_evaluation(self.evaluation.pk) if self.evaluation else None, **form.cleaned_data)
        return evaluation

    def form_valid(self, form):
        response = super().form_valid(form)
        for warning in self.warnings:
            messages.warning(self.request, warning)
        return response


class ChangeFormView(PiaFormView):
    form_class = ImportantChangeForm

    def get_form_kwargs(self):
        self.change = self.get_change(self.kwargs["change"]) if "change" in self.kwargs else None
        self.spi_file = self.change.spi_file if self.change else self.get_file(self.kwargs["spi_file"])
        return super().get_form_kwargs() | {"instance": self.change}

    def title(self) -> str:
        return f"{_('重要な変更')}: {self.spi_file.name}"

    def save(self, form):
        return services.save_change(actor=self.request.user, via="web", spi_file=self.spi_file,
                                    change=self.get_change(self.change.pk) if self.change else None,
                                    **form.cleaned_data)


class DraftView(PiaMixin, View):
    """The .docx draft of the risk countermeasures; a file without processes gets its page back with why."""

    def get(self, request, *args, **kwargs):
        from jichitai.pia.draft import PiaDraftError, export_bytes

        spi_file = self.get_file(kwargs["spi_file"])
        try:
            data = export_bytes(spi_file)
        except PiaDraftError as exc:
            messages.error(request, str(exc))
            return redirect("pia:file", code=self.municipality.code, spi_file=spi_file.pk)
        return docx_response(data, f"pia_draft_{spi_file.pk}.docx")

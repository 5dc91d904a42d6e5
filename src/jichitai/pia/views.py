"""Pages of SPI files and their evaluations. Thin: queries read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from jichitai.orgs.scoping import get_visible_or_404
from jichitai.orgs.views import MunicipalityMixin

from . import services
from .forms import EvaluationForm, ImportantChangeForm, PiaFilterForm, SpiFileForm
from .models import Evaluation, ImportantChange, SpiFile
from .queries import file_rows, files_with_history, filter_rows, serious_incident_dates, state_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PiaMixin(MunicipalityMixin):
    """Resolves the URL's file, evaluation or change within the municipality through the scoping function."""

    def writing(self) -> bool:
        return self.write or self.request.method not in ("GET", "HEAD")

    def get_file(self, pk) -> SpiFile:
        return get_visible_or_404(SpiFile.objects.filter(municipality=self.municipality)
                                  .select_related("municipality"), self.request.user, write=self.writing(), pk=pk)

    def get_evaluation(self, pk) -> Evaluation:
        return get_visible_or_404(Evaluation.objects.filter(spi_file__municipality=self.municipality)
                                  .select_related("spi_file__municipality"), self.request.user,
                                  write=self.writing(), pk=pk)

    def get_change(self, pk) -> ImportantChange:
        return get_visible_or_404(ImportantChange.objects.filter(spi_file__municipality=self.municipality)
                                  .select_related("spi_file__municipality"), self.request.user,
                                  write=self.writing(), pk=pk)

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
        response = HttpResponse(files_bytes(self.municipality, shown, timezone.localdate()), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="pia_{self.municipality.code}.xlsx"'
        return response


class FileView(PiaMixin, TemplateView):
    template_name = "pia/file.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spi_file = files_with_history(SpiFile.objects.filter(pk=self.get_file(kwargs["spi_file"]).pk)).get()
        state = state_of(spi_file, serious_incident_dates([self.municipality.id]), timezone.localdate())
        context.update(spi_file=spi_file, state=state, evaluations=list(spi_file.evaluations.all()),
                       changes=list(spi_file.changes.all()), processes=list(spi_file.processes.all()))
        return context


class FileFormView(PiaMixin, FormView):
    template_name = "pia/form.html"
    form_class = SpiFileForm
    write = True

    def get_form_kwargs(self):
        self.spi_file = self.get_file(self.kwargs["spi_file"]) if "spi_file" in self.kwargs else None
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.spi_file}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves the file
        title = _("Edit file") if self.spi_file else _("Add 特定個人情報ファイル")
        return context | {"title": title, "spi_file": self.spi_file}

    def form_valid(self, form):
        try:
            spi_file = services.save_file(
                actor=self.request.user, via="web", municipality=self.municipality,
                spi_file=self.get_file(self.spi_file.pk) if self.spi_file else None,
                processes=list(form.cleaned_data["processes"]), **form.fields_for_service())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("pia:file", code=self.municipality.code, spi_file=spi_file.pk)


class EvaluationFormView(PiaMixin, FormView):
    template_name = "pia/form.html"
    form_class = EvaluationForm
    write = True

    def get_form_kwargs(self):
        self.evaluation = self.get_evaluation(self.kwargs["evaluation"]) if "evaluation" in self.kwargs else None
        self.spi_file = self.evaluation.spi_file if self.evaluation else self.get_file(self.kwargs["spi_file"])
        return super().get_form_kwargs() | {"instance": self.evaluation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves the evaluation
        title = _("Edit evaluation") if self.evaluation else _("Add evaluation")
        return context | {"title": f"{title}: {self.spi_file.name}", "spi_file": self.spi_file}

    def form_valid(self, form):
        try:
            _evaluation, warnings = services.save_evaluation(
                actor=self.request.user, via="web", spi_file=self.spi_file,
                evaluation=self.get_evaluation(self.evaluation.pk) if self.evaluation else None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        for warning in warnings:
            messages.warning(self.request, warning)
        return redirect("pia:file", code=self.municipality.code, spi_file=self.spi_file.pk)


class ChangeFormView(PiaMixin, FormView):
    template_name = "pia/form.html"
    form_class = ImportantChangeForm
    write = True

    def get_form_kwargs(self):
        self.change = self.get_change(self.kwargs["change"]) if "change" in self.kwargs else None
        self.spi_file = self.change.spi_file if self.change else self.get_file(self.kwargs["spi_file"])
        return super().get_form_kwargs() | {"instance": self.change}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": f"{_('重要な変更')}: {self.spi_file.name}",
                                                     "spi_file": self.spi_file}

    def form_valid(self, form):
        try:
            services.save_change(actor=self.request.user, via="web", spi_file=self.spi_file,
                                 change=self.get_change(self.change.pk) if self.change else None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("pia:file", code=self.municipality.code, spi_file=self.spi_file.pk)


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
        response = HttpResponse(data, content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="pia_draft_{spi_file.pk}.docx"'
        return response


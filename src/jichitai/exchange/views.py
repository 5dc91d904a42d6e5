from django.views.generic import FormView

from jichitai.linkage.views import ProcessLinkageView
from jichitai.orgs.views import MunicipalityMixin
from jichitai.processes.forms import ImportForm

from .imports import run_import


class ProgressImportView(MunicipalityMixin, FormView):
    """Upload a progress workbook; the same import code as `jichitai import`."""

    template_name = "exchange/import.html"
    form_class = ImportForm

    def form_valid(self, form):
        report = run_import(form.cleaned_data["file"].read(), actor=self.request.user,
                            municipality=self.municipality, dry_run=form.cleaned_data["dry_run"])
        response = self.render_to_response(self.get_context_data(form=form, report=report))
        if not report.ok:
            response.status_code = 400
        return response


class LinkageSheetImportView(ProcessLinkageView):
    """Upload a 情報連携確認シート for this process: all or nothing, the report shown on the page."""

    def post(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.page(process, import_form=form), status=400)
        report = run_import(form.cleaned_data["file"].read(), actor=request.user, municipality=self.municipality,
                            dry_run=form.cleaned_data["dry_run"], kinds=("linkage",), options={"process": process})
        return self.render_to_response(self.page(process, import_form=form, report=report),
                                       status=200 if report.ok else 400)

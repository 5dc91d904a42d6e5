from django.views.generic import FormView

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

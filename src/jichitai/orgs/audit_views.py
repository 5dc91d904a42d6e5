"""Audit pages above the municipality's own (orgs/views.AuditLogView): the association's entries, for its
secretariat, and the whole log for the installation's operator. Both filter, sort and export .xlsx and CSV;
the municipality's own log (orgs/views.AuditLogView) exports CSV here too. The downloads are streamed."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View
from django.views.generic import ListView

from jichitai.audit import export, queries
from jichitai.audit.models import AuditEntry
from jichitai.core.http import csv_response, xlsx_response

from . import scoping
from .views import AssociationMixin, MunicipalityMixin

CHUNK = 2000  # entries read per query by a CSV download


def audit_csv(entries, filename: str):
    """The filtered entries as CSV, in the page's order, streamed CHUNK entries at a time."""
    return csv_response(export.CSV_HEADERS, export.csv_rows(entries.iterator(chunk_size=CHUNK)), filename)


class AssociationAuditView(AssociationMixin, ListView):
    """The association's own entries (model publication, courses, drills, workshops, risk settings …)."""

    template_name = "audit/association.html"
    paginate_by = 100

    def get_queryset(self):
        return queries.filtered(scoping.visible(AuditEntry.objects.filter(association=self.association),
                                                self.request.user), self.request.GET)


class AssociationAuditExportView(AssociationMixin, View):
    def get(self, request, pk):
        entries = queries.filtered(scoping.visible(AuditEntry.objects.filter(association=self.association),
                                                   request.user), request.GET)
        return xlsx_response(export.entries_bytes(f"監査ログ　{self.association.name}", entries),
                             f"audit_association_{self.association.pk}.xlsx")


class AssociationAuditCsvView(AssociationMixin, View):
    def get(self, request, pk):
        return audit_csv(queries.filtered(scoping.visible(AuditEntry.objects.filter(association=self.association),
                                                          request.user), request.GET),
                         f"audit_association_{self.association.pk}.csv")


class MunicipalityAuditCsvView(MunicipalityMixin, View):
    """The municipality's own log (the page is orgs/views.AuditLogView: its filters, action and user, and its
    order, newest first, are queries.filtered's)."""

    def get(self, request, code):
        return audit_csv(queries.filtered(scoping.visible(AuditEntry.objects.filter(municipality=self.municipality),
                                                          request.user), request.GET),
                         f"audit_{self.municipality.code}.csv")


class OperatorMixin(LoginRequiredMixin):
    """Only the operator; to anyone else the page does not exist (404)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not scoping.is_operator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OperatorAuditView(OperatorMixin, ListView):
    template_name = "audit/operator.html"
    paginate_by = 100

    def get_queryset(self):
        return queries.every_entry(self.request.GET)


class OperatorAuditExportView(OperatorMixin, View):
    def get(self, request):
        return xlsx_response(export.entries_bytes("監査ログ（全体）", queries.every_entry(request.GET)),
                             "audit_all.xlsx")


class OperatorAuditCsvView(OperatorMixin, View):
    def get(self, request):
        return audit_csv(queries.every_entry(request.GET), "audit_all.csv")

"""Pages of the 取扱記録 (seed 2-3) and of the periodic reviews. Thin: services write, queries read."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView
from jichitai.orgs.models import DateStyle, Department
from jichitai.orgs.scoping import visible
from jichitai.processes.models import Process

from . import export, queries, rules, services
from .forms import HandlingRecordForm, RecordFilterForm, ReviewForm, VoidForm
from .models import HandlingRecord, ProcessAnalysis, RulesDocument
from .views import AnalysisMixin


class RecordsMixin(AnalysisMixin):
    """The municipality's records, or one process's (its pk in the URL), filtered as the query string asks."""

    PER_PAGE = 50

    def fixed_process(self):
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_process"):
            self._process = self.get_process(self.kwargs["pk"])
        return self._process

    def filtered(self):
        form = RecordFilterForm(self.request.GET or None, municipality=self.municipality)
        qs = visible(HandlingRecord.objects.filter(process__municipality=self.municipality), self.request.user)
        if self.fixed_process() is not None:
            qs = qs.filter(process=self.fixed_process())
        return form, queries.records(qs, form.params())

    def western(self) -> bool:
        association = self.municipality.association
        return association is not None and association.date_style == DateStyle.WESTERN


class RecordListView(RecordsMixin, TemplateView):
    template_name = "handling/records.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, records = self.filtered()
        page = Paginator(records, self.PER_PAGE).get_page(self.request.GET.get("page"))
        process = self.fixed_process()
        query = self.request.GET.copy()
        query.pop("page", None)
        if process is not None:
            query["process"] = process.pk
        context.update(form=form, page_obj=page, records=page.object_list, is_paginated=page.paginator.num_pages > 1,
                       total=page.paginator.count, process=process, export_query=query.urlencode(),
                       entry_processes=processes_with_rows(self.request.user, self.municipality).order_by("name")
                       if process is None and self.can_write else [])
        return context


class RecordExportView(RecordsMixin, View):
    """Every record the filter keeps, sorted like the page, in the columns the import reads."""

    def get(self, request, *args, **kwargs):
        _form, records = self.filtered()
        return xlsx_response(export.records_bytes(self.municipality, records, timezone.localdate(), self.western()),
                             f"records_{self.municipality.code}.xlsx")


class RecordCreateView(AnalysisMixin, ServiceFormView):
    template_name = "handling/record_form.html"
    form_class = HandlingRecordForm
    write = True
    success_message = "取扱記録を登録しました。"

    def get_form_kwargs(self):
        self.process = self.get_process(self.kwargs["pk"])
        kwargs = super().get_form_kwargs() | {"process": self.process}
        if row := self.request.GET.get("row"):
            kwargs["initial"] = {"handling_row": row}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"process": self.process}

    def save(self, form):
        return services.create_record(actor=self.request.user, via="web", **form.service_fields())

    def success_url_for(self, saved) -> str:
        return reverse("handling:process_records", args=[self.municipality.code, self.process.pk])


class RecordVoidView(AnalysisMixin, ServiceFormView):
    """取消: the record stays on the list, struck through, with the reason."""

    template_name = "handling/record_void.html"
    form_class = VoidForm
    write = True
    success_message = "取扱記録を取り消しました。"

    def get_form_kwargs(self):
        self.record = self.scoped(HandlingRecord.objects.filter(process__municipality=self.municipality)
                                  .select_related("process", "handling_row"), pk=self.kwargs["record"])
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"record": self.record}

    def save(self, form):
        return services.void_record(actor=self.request.user, via="web", record_id=self.record.pk,
                                    reason=form.cleaned_data["void_reason"])

    def success_url_for(self, saved) -> str:
        return reverse("handling:process_records", args=[self.municipality.code, saved.process_id])


class AnalysisReviewView(AnalysisMixin, View):
    """「見直し済みにする」 for a process's flow, handling table and risk analysis."""

    def post(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.mark_analysis_reviewed(actor=request.user, via="web", process=process,
                                                reviewed_on=form.cleaned_data["reviewed_on"],
                                                interval_months=form.cleaned_data["review_interval_months"])
                messages.success(request, "見直し済みにしました。")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(f"{form[name].label}: {e}" for name, errors in form.errors.items()
                                             for e in errors))
        return self.back_to_analysis(process.pk)


class RulesDocumentsView(AnalysisMixin, TemplateView):
    """Each department's 取扱規程: its draft, its last review and the next one due."""

    template_name = "handling/rules_documents.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        departments = list(visible(Department.objects.filter(municipality=self.municipality), self.request.user))
        documents = {d.department_id: d for d in
                     visible(RulesDocument.objects.filter(municipality=self.municipality), self.request.user)}
        approved: dict[int, int] = {}
        for department_id in visible(ProcessAnalysis.objects.filter(
                process__municipality=self.municipality, status=ProcessAnalysis.Status.APPROVED,
                process__department__isnull=False), self.request.user).values_list("process__department_id", flat=True):
            approved[department_id] = approved.get(department_id, 0) + 1
        association = self.municipality.association
        today = timezone.localdate()
        rows = []
        for department in departments:
            document = documents.get(department.pk)
            own = document.review_interval_months if document else None
            interval = rules.review_interval(own, association and association.review_interval_months)
            last = document.last_reviewed_on if document else None
            rows.append({"department": department, "document": document, "approved": approved.get(department.pk, 0),
                         "last": last, "interval": interval, "due": rules.next_review_due(last, None, interval),
                         "overdue": document is not None and rules.review_overdue(last, None, interval, today)})
        context.update(rows=rows, review_form=ReviewForm())
        return context


class RulesReviewView(AnalysisMixin, View):
    def post(self, request, *args, **kwargs):
        department = self.scoped(Department.objects.filter(municipality=self.municipality)
                                 .select_related("municipality"), pk=kwargs["department"])
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.mark_rules_reviewed(actor=request.user, via="web", department=department,
                                             reviewed_on=form.cleaned_data["reviewed_on"],
                                             interval_months=form.cleaned_data["review_interval_months"])
                messages.success(request, f"{department.name}の取扱規程を見直し済みにしました。")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(f"{form[name].label}: {e}" for name, errors in form.errors.items()
                                             for e in errors))
        return redirect("handling:rules_documents", code=self.municipality.code)


def processes_with_rows(user, municipality):
    """Processes that have a handling table, for the records page's 「記録を追加」 links."""
    return visible(Process.objects.filter(municipality=municipality, handling_rows__isnull=False), user).distinct()

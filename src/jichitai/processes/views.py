"""Thin views: resolve scope, call queries or services, render."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from jichitai.core import prefectures
from jichitai.core.http import xlsx_response
from jichitai.core.text import normalise
from jichitai.core.views import ServiceFormView
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin

from . import export, rules, services, summary_queries, summary_views
from .filters import filter_processes, filter_rows
from .forms import CellForm, MatrixFilterForm, ProcessForm
from .models import LegalBasisItem, Process, ProgressChange
from .notices import notices
from .queries import association_comparison, processes_for, progress_matrix
from .templatetags.processes_tags import cell_context


class ProcessScopedMixin(MunicipalityMixin):
    """A municipality page about one of its processes (or objects hanging from one)."""

    def get_process(self, pk) -> Process:
        return self.scoped(Process.objects.filter(municipality=self.municipality), pk=pk)


class MatrixMixin(MunicipalityMixin):
    def filtered_matrix(self):
        form = MatrixFilterForm(self.request.GET or None, municipality=self.municipality)
        params = form.cleaned_data if form.is_valid() else {}
        as_of = params.get("as_of") or timezone.localdate()
        processes = filter_processes(processes_for(self.request.user, self.municipality), params)
        matrix = progress_matrix(self.request.user, self.municipality, as_of, processes)
        return form, filter_rows(matrix, params)


class MatrixView(MatrixMixin, TemplateView):
    template_name = "processes/matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, matrix = self.filtered_matrix()
        context.update(
            notices=notices([self.municipality.pk], timezone.localdate()),
            form=form, matrix=matrix, columns=rules.COLUMNS, statuses=rules.STATUSES,
            editable=self.can_write and matrix.as_of == timezone.localdate(),
            export_query=self.request.GET.urlencode(),
        )
        return context


class MatrixExportView(MatrixMixin, View):
    def get(self, request, *args, **kwargs):
        _form, matrix = self.filtered_matrix()
        return xlsx_response(export.export_bytes(matrix), f"progress_{self.municipality.code}_{matrix.as_of:%Y%m%d}.xlsx")


class CellView(ProcessScopedMixin, TemplateView):
    """htmx: GET shows the status picker for one cell; POST saves it and returns the cell."""

    template_name = "processes/_cell.html"

    def setup_cell(self):
        self.process = self.get_process(self.kwargs["pk"])
        self.column = self.kwargs["column"]
        if self.column not in rules.COLUMN_KEYS:
            raise Http404

    def current_cell(self) -> rules.Cell:
        matrix = progress_matrix(self.request.user, self.municipality, timezone.localdate(),
                                 processes_for(self.request.user, self.municipality).filter(pk=self.process.pk))
        return matrix.rows[0].details[self.column] if matrix.rows else rules.Cell(rules.DEFAULT_STATUS, None, False)

    def get(self, request, *args, **kwargs):
        self.setup_cell()
        cell = self.current_cell()
        editing = request.GET.get("edit") == "1" and self.can_write
        form = CellForm(column=self.column, initial={"status": cell.status if cell.overridden or cell.derived is None
                                                     else rules.FOLLOW_EVIDENCE})
        return self.render_to_response(self.cell_context(cell, editing, form))

    def post(self, request, *args, **kwargs):
        self.setup_cell()
        form = CellForm(request.POST, column=self.column)
        if form.is_valid():
            try:
                services.set_progress(actor=request.user, via="web", process=self.process,
                                      column=self.column, status=form.cleaned_data["status"])
            except ValidationError as exc:
                form.add_error(None, exc)
        response = self.render_to_response(self.cell_context(self.current_cell(), bool(form.errors), form))
        if form.errors:
            response.status_code = 400
        return response

    def cell_context(self, cell, editing, form):
        return cell_context(self.municipality, self.process, self.column, cell, self.can_write) | {
            "editing": editing, "form": form}


class ProcessDetailView(ProcessScopedMixin, TemplateView):
    template_name = "processes/process_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.scoped(processes_for(self.request.user, self.municipality), pk=self.kwargs["pk"])
        history = visible(ProgressChange.objects.filter(process=process), self.request.user).select_related(
            "recorded_by").order_by("-effective_on", "-id")
        context.update(process=process, history=history, column_names=rules.COLUMN_NAMES,
                       symbols=rules.STATUS_SYMBOL, labels=rules.STATUS_LABEL)
        return context


class ProcessFormView(ProcessScopedMixin, ServiceFormView):
    template_name = "processes/process_form.html"
    form_class = ProcessForm
    write = True

    def get_object(self):
        return self.get_process(self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.get_object()}

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if form.instance.pk:
            # The form has already changed form.instance; the service needs the stored row for "before".
            return services.update_process(actor=self.request.user, via="web", process=self.get_object(), **fields)
        return services.create_process(actor=self.request.user, via="web", municipality=self.municipality, **fields)

    def success_url_for(self, saved) -> str:
        return reverse("processes:process", args=[self.municipality.code, saved.pk])


class LegalBasisListView(LoginRequiredMixin, ListView):
    """The 別表 catalogue: public law, the same for every user."""

    template_name = "processes/legal_basis.html"
    paginate_by = 50

    def get_queryset(self):
        qs = LegalBasisItem.objects.all()
        if self.request.GET.get("municipal") == "1":
            condition = Q()
            for name in rules.MUNICIPAL_IMPLEMENTERS:
                condition |= Q(implementer__contains=name)
            qs = qs.filter(condition)
        if q := self.request.GET.get("q"):
            qs = qs.filter(process__icontains=q)
        return qs


class AssociationView(AssociationMixin, TemplateView):
    """The members' progress side by side: filtered (name or code, prefecture), sorted on the server, 50 rows a
    page (a prefecture-wide association has hundreds of members); the totals and the export cover every member
    the filter keeps. Today's figures come from the stored member summaries (SQL sorts, sums and pages them);
    a past date is counted from the history."""

    template_name = "processes/association.html"
    SORTS = {"code", "name", "processes", "overall"} | set(rules.COLUMN_KEYS)
    PER_PAGE = 50

    def comparison(self):
        """(form, as_of, sort, rows, totals): rows a queryset of stored summaries today, a list on a past date."""
        form = MatrixFilterForm(self.request.GET or None, municipality=None)
        valid = form.is_valid()
        as_of = (form.cleaned_data.get("as_of") if valid else None) or timezone.localdate()
        q = normalise(form.cleaned_data.get("q") or "") if valid else ""
        prefecture = (form.cleaned_data.get("prefecture") or "") if valid else ""
        group = form.cleaned_data.get("group") if valid else None
        self.groups = summary_queries.groups_of(self.association)
        sort = self.request.GET.get("sort", "code")
        sort = sort if sort in self.SORTS else "code"
        codes = summary_queries.members_of(self.request.user, self.association).values_list("code", flat=True)
        self.prefectures = prefectures.choices(prefectures.prefecture_number(code) for code in codes)
        if as_of >= timezone.localdate():
            self.stale = summary_views.refresh_stale(self.request.user, self.association)
            rows = summary_queries.member_progress(self.request.user, self.association, q=q, prefecture=prefecture,
                                                   group=group, sort=sort)
            return form, as_of, sort, rows, summary_queries.totals_of(rows)
        self.stale = []
        kept = set(summary_queries.filter_members(
            summary_queries.members_of(self.request.user, self.association), self.request.user, self.association,
            q=q, prefecture=prefecture, group=group, path="").values_list("pk", flat=True))
        summaries = [s for s in association_comparison(self.request.user, self.association, as_of)
                     if s.municipality.pk in kept]
        summaries.sort(key=lambda s: _sort_key(s, sort), reverse=sort not in {"code", "name"})
        return form, as_of, sort, summaries, rules.combine_totals(s.totals for s in summaries)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, as_of, sort, rows, overall = self.comparison()
        page = Paginator(rows, self.PER_PAGE).get_page(self.request.GET.get("page"))
        shown = page.object_list if isinstance(rows, list) else summary_queries.as_summaries(page.object_list)
        context.update(association=self.association, summaries=shown, page_obj=page,
                       is_paginated=page.paginator.num_pages > 1, members=page.paginator.count, as_of=as_of,
                       form=form, prefectures=self.prefectures, groups=self.groups, columns=rules.COLUMNS, sort=sort, overall=overall,
                       overall_percent={k: rules.percent_done(v) for k, v in overall.items()},
                       **summary_views.summary_context(self.request.user, self.association, self.stale))
        return context


class AssociationExportView(AssociationView):
    """The same comparison, sorted the same way, as .xlsx."""

    def get(self, request, *args, **kwargs):
        _form, as_of, _sort, rows, _overall = self.comparison()
        summaries = rows if isinstance(rows, list) else summary_queries.as_summaries(rows)
        return xlsx_response(export.association_bytes(self.association, summaries, as_of),
                             f"association_{self.association.pk}_{as_of:%Y%m%d}.xlsx")


def _sort_key(summary, sort):
    if sort == "code":
        return summary.municipality.code
    if sort == "name":
        return summary.municipality.name
    if sort == "processes":
        return summary.processes
    value = summary.overall_percent if sort == "overall" else summary.percent_done[sort]
    return -1 if value is None else value

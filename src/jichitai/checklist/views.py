from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView, View

from jichitai.core import prefectures
from jichitai.core.http import xlsx_response
from jichitai.core.text import normalise
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin
from jichitai.processes.forms import MatrixFilterForm
from jichitai.processes.summary_queries import filter_members, groups_of, members_of
from jichitai.processes.summary_views import refresh_stale, summary_context

from . import export, rules, summary_queries
from .queries import evaluate


def _as_of(request):
    """The as-of date of the page (today when absent or invalid; the form shows why)."""
    form = MatrixFilterForm(request.GET or None, municipality=None)
    return form, (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()


class MunicipalityChecklistView(MunicipalityMixin, TemplateView):
    """The five items with the seed's 概要 and 対応チェック, the verdict and the findings under each."""

    template_name = "checklist/municipality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, as_of = _as_of(self.request)
        items = evaluate(self.request.user, [self.municipality], as_of)[self.municipality.pk]
        context.update(form=form, as_of=as_of, items=items, export_query=_as_of_query(form))
        return context


class MunicipalityChecklistExportView(MunicipalityMixin, View):
    """The page as .xlsx, as of the page's date."""

    def get(self, request, *args, **kwargs):
        _form, as_of = _as_of(request)
        items = evaluate(request.user, [self.municipality], as_of)[self.municipality.pk]
        return xlsx_response(export.municipality_bytes(self.municipality, items, as_of),
                             f"checklist_{self.municipality.code}_{as_of:%Y%m%d}.xlsx")


def _as_of_query(form) -> str:
    """?as_of=… for the download link when the page shows another day than today."""
    day = form.cleaned_data.get("as_of") if form.is_bound and form.is_valid() else None
    return f"?as_of={day:%Y-%m-%d}" if day else ""


class AssociationChecklistView(AssociationMixin, TemplateView):
    """Every member's five items. Today: the stored results of the last evaluation (a few stale members are
    re-evaluated on the way), filtered, sorted, totalled and paged in SQL. A past date: the members of the page
    evaluated then, in code or name order, with the page's totals (a whole pass would take a minute nationally)."""

    template_name = "checklist/association.html"
    PER_PAGE = 50

    def grid(self):
        form, as_of = _as_of(self.request)
        params = form.cleaned_data if form.is_valid() else {}
        q, prefecture, group = normalise(params.get("q") or ""), params.get("prefecture") or "", params.get("group")
        sort = self.request.GET.get("sort", "code")
        sort = sort if sort in summary_queries.SORTS else "code"
        user = self.request.user
        if as_of >= timezone.localdate():
            self.stale = refresh_stale(user, self.association)
            stored = summary_queries.member_checklists(user, self.association, q=q, prefecture=prefecture, group=group,
                                                       sort=sort)
            return form, as_of, sort, stored, summary_queries.totals_of(stored), True
        self.stale = []
        members = filter_members(members_of(user, self.association), user, self.association, q=q,
                                 prefecture=prefecture, group=group, path="")
        return form, as_of, "name" if sort == "name" else "code", members.order_by(
            "name" if sort == "name" else "code"), None, False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, as_of, sort, rows, totals, stored = self.grid()
        page = Paginator(rows, self.PER_PAGE).get_page(self.request.GET.get("page"))
        if stored:
            shown = [(row.municipality, row.items) for row in page.object_list]
        else:
            results = evaluate(self.request.user, list(page.object_list), as_of)
            shown = [(m, [(i.id, i.status, len(i.findings)) for i in results[m.pk]]) for m in page.object_list]
            totals = {item: {status: sum(1 for _m, items in shown for i, s, _n in items if i == item and s == status)
                             for status in (rules.OK, rules.ATTENTION, rules.NG)} for item, _ in rules.ITEMS}
        codes = members_of(self.request.user, self.association).values_list("code", flat=True)
        context.update(form=form, as_of=as_of, rows=shown, items=rules.ITEMS, totals=totals, page_totals=not stored,
                       page_obj=page, is_paginated=page.paginator.num_pages > 1, members=page.paginator.count,
                       sort=sort, prefectures=prefectures.choices(prefectures.prefecture_number(c) for c in codes),
                       groups=groups_of(self.association),
                       **summary_context(self.request.user, self.association, self.stale))
        return context


class AssociationChecklistExportView(AssociationChecklistView):
    """Today's grid, filtered and sorted as on the page, every member, as .xlsx."""

    def get(self, request, *args, **kwargs):
        self.request.GET = self.request.GET.copy()
        self.request.GET.pop("as_of", None)  # the stored results are today's
        _form, as_of, _sort, rows, totals, _stored = self.grid()
        return xlsx_response(export.association_bytes(self.association, rows, totals, as_of),
                             f"checklist_{self.association.pk}_{as_of:%Y%m%d}.xlsx")

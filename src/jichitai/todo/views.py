"""やること: the landing page of every user, a municipality's list, and the secretariat's view of its members."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import XLSX, attachment
from jichitai.orgs import scoping
from jichitai.orgs.models import Municipality
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin
from jichitai.processes.summary_queries import members_of
from jichitai.processes.summary_views import refresh_stale, summary_context

from . import export, queries, rules
from .forms import TodoFilterForm

ICS = "text/calendar; charset=utf-8"
PER_PAGE = 100


def _download(kind: str, data: bytes, name: str):
    return attachment(data, f"{name}.{kind}", XLSX if kind == "xlsx" else ICS)


class HomeView(LoginRequiredMixin, View):
    """Where everyone lands. The secretariat: its association's list; a municipality's user: its list (each
    municipality's, when they work for several); the operator with no other role: 団体管理."""

    def get(self, request):
        target = scoping.home_target(request.user)
        if target is not None and target[0] == "association":
            return redirect("todo:association", pk=target[1].pk)
        municipalities = list(scoping.visible(Municipality.objects.all(), request.user).order_by("code"))
        if len(municipalities) == 1:
            return redirect("todo:municipality", code=municipalities[0].code)
        if not municipalities:
            if scoping.is_operator(request.user):
                return redirect("operator:home")
            return render(request, "orgs/no_access.html")
        as_of = timezone.localdate()
        grouped = queries.by_municipality(queries.gather(queries.Scope(request.user, municipalities, as_of)))
        return render(request, "todo/home.html", {
            "as_of": as_of, "sections": [(m, [(t, m) for t in grouped.get(m.pk, [])]) for m in municipalities],
            "due_soon_days": rules.DUE_SOON_DAYS})


class MunicipalityTodoMixin(MunicipalityMixin):
    def gathered(self):
        as_of = timezone.localdate()
        return as_of, queries.gather(queries.Scope(self.request.user, [self.municipality], as_of))


class MunicipalityTodoView(MunicipalityTodoMixin, TemplateView):
    template_name = "todo/municipality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of, items = self.gathered()
        context.update(as_of=as_of, items_rows=[(t, self.municipality) for t in items], counts=rules.counts(items), due_soon_days=rules.DUE_SOON_DAYS)
        return context


class MunicipalityTodoDownload(MunicipalityTodoMixin, View):
    kind = "xlsx"

    def get(self, request, *args, **kwargs):
        as_of, items = self.gathered()
        names = {self.municipality.pk: self.municipality.name}
        if self.kind == "xlsx":
            data = export.xlsx_bytes(self.municipality.name, items, names, as_of, request.build_absolute_uri)
        else:
            data = export.ics_bytes(self.municipality.name, items, names, request.build_absolute_uri, timezone.now())
        return _download(self.kind, data, f"todo_{self.municipality.code}_{as_of:%Y%m%d}")


class MunicipalityTodoXlsxView(MunicipalityTodoDownload):
    kind = "xlsx"


class MunicipalityTodoIcsView(MunicipalityTodoDownload):
    kind = "ics"


class AssociationTodoMixin(AssociationMixin):
    """Every member's items: the checklist verdicts from the stored evaluations (a few stale members are
    re-evaluated on the way, as on the association's other pages), everything else read now."""

    def gathered(self):
        as_of = timezone.localdate()
        user = self.request.user
        self.stale = refresh_stale(user, self.association)
        members = list(members_of(user, self.association).order_by("code"))
        items = queries.gather(queries.Scope(user, members, as_of, stored_checklists=True))
        form = TodoFilterForm(self.request.GET or None, members=members)
        params = form.params()
        codes = {m.pk: m.code for m in members}
        shown = [t for t in items if (not params["member"] or codes[t.municipality_id] == params["member"])
                 and (not params["kind"] or t.kind == params["kind"])
                 and (not params["state"] or t.state == params["state"])]
        return as_of, members, items, form, params, queries.sort_items(shown, params["sort"], codes, as_of)


class AssociationTodoView(AssociationTodoMixin, TemplateView):
    template_name = "todo/association.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of, members, items, form, params, shown = self.gathered()
        page = Paginator(shown, PER_PAGE).get_page(self.request.GET.get("page"))
        by_id = {m.pk: m for m in members}
        context.update(
            as_of=as_of, form=form, params=params, rows=queries.member_counts(members, items), kinds=rules.KINDS,
            counts=rules.counts(items), page_obj=page, items=[(t, by_id[t.municipality_id]) for t in page.object_list],
            shown=len(shown), is_paginated=page.paginator.num_pages > 1, export_query=self.request.GET.urlencode(),
            due_soon_days=rules.DUE_SOON_DAYS, **summary_context(self.request.user, self.association, self.stale))
        return context


class AssociationTodoDownload(AssociationTodoMixin, View):
    """The combined list, filtered and sorted as on the page, every page of it."""

    kind = "xlsx"

    def get(self, request, *args, **kwargs):
        as_of, members, _items, _form, _params, shown = self.gathered()
        names = {m.pk: m.name for m in members}
        if self.kind == "xlsx":
            data = export.xlsx_bytes(self.association.name, shown, names, as_of, request.build_absolute_uri)
        else:
            data = export.ics_bytes(self.association.name, shown, names, request.build_absolute_uri, timezone.now())
        return _download(self.kind, data, f"todo_a{self.association.pk}_{as_of:%Y%m%d}")


class AssociationTodoXlsxView(AssociationTodoDownload):
    kind = "xlsx"


class AssociationTodoIcsView(AssociationTodoDownload):
    kind = "ics"

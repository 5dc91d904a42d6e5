"""Workshop pages: members of the association read published workshops; only the secretariat writes."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from jichitai.core.wareki import fiscal_year
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import SAFE_METHODS

from . import export, gantt, queries, services
from .forms import ActionItemForm, ScoresForm, WorkshopForm
from .models import Issue


class PlanningMixin(LoginRequiredMixin):
    """Resolves the association (404 unless the user reads it) and, for a workshop URL, the workshop."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.association = queries.association_for(request.user, kwargs["pk"])
        if self.association is None:
            raise Http404
        self.secretariat = queries.is_secretariat(request.user, self.association)
        if request.method not in SAFE_METHODS and not self.secretariat:
            raise PermissionDenied
        self.workshop = None
        if "workshop" in kwargs:
            self.workshop = get_visible_or_404(
                queries.workshops(request.user, self.association, secretariat=self.secretariat),
                request.user, pk=kwargs["workshop"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "association": self.association, "workshop": self.workshop, "can_write": self.secretariat}


class WorkshopListView(PlanningMixin, TemplateView):
    template_name = "planning/workshops.html"

    def get_context_data(self, form=None, **kwargs):
        workshops = queries.workshops(self.request.user, self.association, secretariat=self.secretariat)
        return super().get_context_data(**kwargs) | {
            "workshops": workshops.annotate(issue_count=Count("issues")), "form": form or WorkshopForm()}

    def post(self, request, pk):
        form = WorkshopForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        workshop = services.create_workshop(actor=request.user, via="web", association=self.association,
                                            **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("planning:workshop", pk=pk, workshop=workshop.pk)


SORTS = {"rank": lambda r: (r.rank, r.issue.position), "position": lambda r: r.issue.position,
         "title": lambda r: r.issue.title}


class WorkshopView(PlanningMixin, TemplateView):
    """The live 課題分析 table and, for the secretariat, the form to add a participant's scores."""

    template_name = "planning/workshop.html"

    def _form(self, data=None):
        members = visible(Municipality.objects.filter(association=self.association), self.request.user)
        return ScoresForm(data, issues=list(Issue.objects.filter(workshop=self.workshop)),
                          criteria=self.workshop.criteria, members=members)

    def get_context_data(self, form=None, **kwargs):
        rows = queries.issue_rows(self.workshop)
        sort = self.request.GET.get("sort", "rank")
        rows.sort(key=SORTS.get(sort, SORTS["rank"]))
        form = form or (self._form() if self.secretariat else None)
        return super().get_context_data(**kwargs) | {
            "rows": rows, "sort": sort, "criteria": self.workshop.criteria, "form": form,
            "score_rows": [(r, [form[name] for name, (issue_id, _c) in form.cells.items() if issue_id == r.issue.pk])
                           for r in rows] if form else []}

    def post(self, request, pk, workshop):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.save_scores(actor=request.user, via="web", workshop=self.workshop,
                                     participant=form.cleaned_data["participant"],
                                     municipality=form.cleaned_data["municipality"], scores=form.scores())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("planning:workshop", pk=pk, workshop=workshop)
        return self.render_to_response(self.get_context_data(form=form))


class PlanMixin(PlanningMixin):
    def plan(self):
        issues = list(queries.workshop_issues(self.workshop))
        for issue in issues:
            issue.plan_items = list(issue.actions.all())
        years = [item.fiscal_year for issue in issues for item in issue.plan_items]
        start = min(years) if years else fiscal_year(self.workshop.held_on or timezone.localdate())
        return issues, start


class PlanView(PlanMixin, TemplateView):
    template_name = "planning/plan.html"

    def _form(self, data=None):
        return ActionItemForm(data, issues=Issue.objects.filter(workshop=self.workshop))

    def get_context_data(self, form=None, **kwargs):
        issues, start = self.plan()
        return super().get_context_data(**kwargs) | {
            "issues": issues, "start_fy": start, "chart": gantt.render(issues, start),
            "form": form or (self._form() if self.secretariat else None)}

    def post(self, request, pk, workshop):
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.add_action_item(actor=request.user, via="web", **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("planning:plan", pk=pk, workshop=workshop)


class PlanExportView(PlanMixin, TemplateView):
    def get(self, request, pk, workshop):
        issues, start = self.plan()
        response = HttpResponse(export.plan_workbook(self.workshop.name, issues, start),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="action-plan-{self.workshop.pk}.xlsx"'
        return response

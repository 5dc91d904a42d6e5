"""Workshop pages: members of the association read published workshops; only the secretariat writes."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View

from jichitai.core.http import xlsx_response
from jichitai.core.validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from jichitai.core.views import ServiceFormView
from jichitai.core.wareki import fiscal_year
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin

from . import export, gantt, queries, services
from .forms import ActionItemForm, ScoresForm, WorkshopForm
from .models import Issue, Workshop


class PlanningMixin(AssociationMixin):
    """Pages the association's members read too; can_write (the secretariat) also sees the drafts."""

    members_read = True

    def workshops(self):
        return queries.workshops(self.request.user, self.association, secretariat=self.can_write)


class WorkshopMixin(PlanningMixin):
    """A page of the workshop in the URL: a draft is 404 to anyone but the secretariat."""

    @cached_property
    def workshop(self) -> Workshop:
        return self.scoped(self.workshops(), pk=self.kwargs["workshop"])

    def issues(self):
        """The workshop's issues, for the forms to choose from."""
        return visible(Issue.objects.filter(workshop=self.workshop), self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"workshop": self.workshop}


class SecretariatFormMixin:
    """The form under a workshop page is the secretariat's: members read the page without it."""

    def get_form(self, form_class=None):
        return super().get_form(form_class) if self.can_write else None


class WorkshopListView(PlanningMixin, ServiceFormView):
    template_name = "planning/workshops.html"
    form_class = WorkshopForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "workshops": self.workshops().annotate(issue_count=Count("issues"))}

    def save(self, form):
        return services.create_workshop(actor=self.request.user, via="web", association=self.association,
                                        **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("planning:workshop", args=[self.association.pk, saved.pk])


SORTS = {"rank": lambda r: (r.rank, r.issue.position), "position": lambda r: r.issue.position,
         "title": lambda r: r.issue.title}


class WorkshopView(SecretariatFormMixin, WorkshopMixin, ServiceFormView):
    """The live 課題分析 table and, for the secretariat, the form to add a participant's scores."""

    template_name = "planning/workshop.html"
    form_class = ScoresForm

    def get_form_kwargs(self):
        members = visible(Municipality.objects.members_of(self.association), self.request.user)
        return super().get_form_kwargs() | {
            "issues": list(self.issues()), "criteria": self.workshop.criteria, "members": members}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = queries.issue_rows(self.workshop)
        sort = self.request.GET.get("sort", "rank")
        rows.sort(key=SORTS.get(sort, SORTS["rank"]))
        form = context["form"]
        return context | {
            "rows": rows, "sort": sort, "criteria": self.workshop.criteria,
            "score_rows": [(r, [form[name] for name, (issue_id, _c) in form.cells.items() if issue_id == r.issue.pk])
                           for r in rows] if form else []}

    def save(self, form):
        return services.save_scores(actor=self.request.user, via="web", workshop=self.workshop,
                                    participant=form.cleaned_data["participant"],
                                    municipality=form.cleaned_data["municipality"], scores=form.scores())

    def success_url_for(self, saved) -> str:
        return reverse("planning:workshop", args=[self.association.pk, self.workshop.pk])


class PlanMixin(WorkshopMixin):
    def plan(self):
        issues = list(queries.workshop_issues(self.workshop))
        for issue in issues:
            issue.plan_items = list(issue.actions.all())
        # A fiscal year stored before 1989–2100 was enforced (year 1) does not drag the chart back to it.
        years = [item.fiscal_year for issue in issues for item in issue.plan_items
                 if FISCAL_YEAR_MIN <= item.fiscal_year <= FISCAL_YEAR_MAX]
        start = min(years) if years else fiscal_year(self.workshop.held_on or timezone.localdate())
        return issues, start


class PlanView(SecretariatFormMixin, PlanMixin, ServiceFormView):
    template_name = "planning/plan.html"
    form_class = ActionItemForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"issues": self.issues()}

    def get_context_data(self, **kwargs):
        issues, start = self.plan()
        return super().get_context_data(**kwargs) | {
            "issues": issues, "start_fy": start, "chart": gantt.render(issues, start)}

    def save(self, form):
        return services.add_action_item(actor=self.request.user, via="web", **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("planning:plan", args=[self.association.pk, self.workshop.pk])


class PlanExportView(PlanMixin, View):
    def get(self, request, *args, **kwargs):
        issues, start = self.plan()
        return xlsx_response(export.plan_workbook(self.workshop.name, issues, start),
                             f"action-plan-{self.workshop.pk}.xlsx")

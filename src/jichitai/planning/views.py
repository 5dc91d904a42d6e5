"""Workshop pages: members of the association read published workshops; only the secretariat writes."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jichitai.core.http import xlsx_response
from jichitai.core.validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from jichitai.core.views import ServiceButtonView, ServiceFormView
from jichitai.core.wareki import DateParseError, fiscal_year, fiscal_year_label, parse_fiscal_year
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin

from . import export, gantt, queries, rules, services
from .forms import ActionItemForm, CriteriaForm, IssueForm, RetireForm, ScoresForm, WorkshopForm
from .models import ActionItem, Issue, Workshop


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


# Retired issues have no rank: they come after the ranked ones.
SORTS = {"rank": lambda r: (r.rank is None, r.rank or 0, r.issue.position), "position": lambda r: r.issue.position,
         "title": lambda r: r.issue.title}


class WorkshopView(SecretariatFormMixin, WorkshopMixin, ServiceFormView):
    """The live 課題分析 table and, for the secretariat, the form to add a participant's scores."""

    template_name = "planning/workshop.html"
    form_class = ScoresForm

    def get_form_kwargs(self):
        members = visible(Municipality.objects.members_of(self.association), self.request.user)
        return super().get_form_kwargs() | {
            "issues": list(self.issues().filter(retired_on__isnull=True)), "criteria": self.workshop.criteria,
            "members": members}

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
        """The workshop's issues with their actions, and the window (first, last fiscal year) that holds every
        action in force (rules.plan_window): the chart and the export never drop one."""
        issues = list(queries.workshop_issues(self.workshop))
        for issue in issues:
            issue.all_items = list(issue.actions.all())
            for item in issue.all_items:
                item.fy_label = fiscal_year_label(item.fiscal_year) if FISCAL_YEAR_MIN <= item.fiscal_year <= FISCAL_YEAR_MAX \
                    else str(item.fiscal_year)
            # The chart and the export show the plan in force; the page's table shows retired actions too.
            issue.plan_items = [] if issue.retired_on else [i for i in issue.all_items if i.retired_on is None]
        # A fiscal year stored before 1989–2100 was enforced (year 1) does not drag the chart back to it.
        years = [item.fiscal_year for issue in issues for item in issue.plan_items
                 if FISCAL_YEAR_MIN <= item.fiscal_year <= FISCAL_YEAR_MAX]
        return issues, rules.plan_window(years, fiscal_year(self.workshop.held_on or timezone.localdate()))


def wanted_year(text: str | None) -> int | None:
    """The ?from= of a paged chart: a fiscal year as people type it (2026, R8, 令和8年度); anything else is None."""
    try:
        return parse_fiscal_year(text) if text else None
    except DateParseError:
        return None


class PlanView(SecretariatFormMixin, PlanMixin, ServiceFormView):
    template_name = "planning/plan.html"
    form_class = ActionItemForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"issues": self.issues()}

    def get_context_data(self, **kwargs):
        issues, (first, last) = self.plan()
        pages = rules.plan_pages(first, last)
        n = rules.plan_page(pages, wanted_year(self.request.GET.get("from")))
        shown = pages[n]
        return super().get_context_data(**kwargs) | {
            "issues": issues, "window": (first, last), "window_years": last - first + 1, "shown": shown,
            "paged": len(pages) > 1, "previous_fy": pages[n - 1][0] if n > 0 else None,
            "next_fy": pages[n + 1][0] if n + 1 < len(pages) else None, "chart": gantt.render(issues, *shown)}

    def save(self, form):
        return services.add_action_item(actor=self.request.user, via="web", **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("planning:plan", args=[self.association.pk, self.workshop.pk])


class PlanExportView(PlanMixin, View):
    """Every action in force: the whole window, one sheet per chart page when the chart is paged."""

    def get(self, request, *args, **kwargs):
        issues, (first, last) = self.plan()
        return xlsx_response(export.plan_workbook(self.workshop.name, issues, first, last),
                             f"action-plan-{self.workshop.pk}.xlsx")


# ---- edits: the secretariat's (members reading the association get 403) ---------------------------------------


class SecretariatEditMixin(WorkshopMixin):
    write = True


class WorkshopEditView(SecretariatEditMixin, ServiceFormView):
    template_name = "form.html"
    form_class = WorkshopForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.workshop}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Edit workshop"), "cancel_url": reverse("planning:workshop", args=[self.association.pk,
                                                                                          self.workshop.pk])}

    def save(self, form):
        return services.update_workshop(actor=self.request.user, via="web", workshop=self.workshop,
                                        **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("planning:workshop", args=[self.association.pk, saved.pk])


class CriteriaView(SecretariatEditMixin, ServiceFormView):
    """評価基準 and their weights: rename, reweigh, retire, add, delete (unscored). The table re-ranks at once."""

    template_name = "planning/criteria.html"
    form_class = CriteriaForm
    success_message = gettext_lazy("Saved. 総合 and 優先順位 are recomputed with the new criteria.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"criteria": self.workshop.criteria}

    def save(self, form):
        return services.save_criteria(actor=self.request.user, via="web", workshop=self.workshop, rows=form.result)

    def success_url_for(self, saved) -> str:
        return reverse("planning:workshop", args=[self.association.pk, saved.pk])


class IssueMixin(SecretariatEditMixin):
    def issue(self) -> Issue:
        return self.scoped(Issue.objects.filter(workshop=self.workshop), pk=self.kwargs["issue"])

    def workshop_url(self) -> str:
        return reverse("planning:workshop", args=[self.association.pk, self.workshop.pk])


class IssueFormView(IssueMixin, ServiceFormView):
    """Add an issue to the workshop, or change one (title, 要点, position); retire or delete it below."""

    template_name = "planning/issue_form.html"
    form_class = IssueForm

    def get_form_kwargs(self):
        self.current = self.issue() if "issue" in self.kwargs else None
        return super().get_form_kwargs() | {"instance": self.current}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.current
        used = services.issue_references(self.current) if self.current else {}
        return context | {"title": _("Edit issue") if self.current else _("Add issue"), "issue": self.current,
                          "used": used, "deletable": self.current is not None and not any(used.values()),
                          "retire_form": RetireForm(), "cancel_url": self.workshop_url()}

    def save(self, form):
        if self.current is None:
            return services.add_issue(actor=self.request.user, via="web", workshop=self.workshop,
                                      title=form.cleaned_data["title"], summary=form.cleaned_data["summary"])
        return services.update_issue(actor=self.request.user, via="web", issue=self.current, **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return self.workshop_url()


class ButtonView(ServiceButtonView):
    """A button of a workshop's pages; retiring ones read the date typed next to them."""

    def retire_date(self):
        form = RetireForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        return form.cleaned_data["retired_on"]


class IssueButton(IssueMixin, ButtonView):
    def redirect_url(self) -> str:
        return self.workshop_url()


class IssueRetireView(IssueButton):
    done_message = gettext_lazy("The issue was retired: no longer ranked or scored; its scores and actions stay.")

    def act(self):
        services.retire_issue(actor=self.request.user, via="web", issue=self.issue(), on=self.retire_date())


class IssueReactivateView(IssueButton):
    done_message = gettext_lazy("The issue is ranked again.")

    def act(self):
        services.reactivate_issue(actor=self.request.user, via="web", issue=self.issue())


class IssueDeleteView(IssueButton):
    done_message = gettext_lazy("The issue was deleted.")

    def act(self):
        services.delete_issue(actor=self.request.user, via="web", issue=self.issue())


class ActionMixin(SecretariatEditMixin):
    def item(self) -> ActionItem:
        return self.scoped(ActionItem.objects.filter(issue__workshop=self.workshop).select_related("issue"),
                           pk=self.kwargs["item"])

    def plan_url(self) -> str:
        return reverse("planning:plan", args=[self.association.pk, self.workshop.pk])


class ActionEditView(ActionMixin, ServiceFormView):
    template_name = "planning/action_form.html"
    form_class = ActionItemForm

    def get_form_kwargs(self):
        self.current = self.item()
        return super().get_form_kwargs() | {"instance": self.current, "issues": self.issues()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {"title": _("Edit action"), "item": self.current, "retire_form": RetireForm(),
                          "cancel_url": self.plan_url()}

    def save(self, form):
        return services.update_action_item(actor=self.request.user, via="web", item=self.current,
                                           **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return self.plan_url()


class ActionButton(ActionMixin, ButtonView):
    def redirect_url(self) -> str:
        return self.plan_url()


class ActionDoneView(ActionButton):
    done_message = gettext_lazy("The action is marked done.")

    def act(self):
        services.update_action_item(actor=self.request.user, via="web", item=self.item(), status="done")


class ActionRetireView(ActionButton):
    done_message = gettext_lazy("The action was retired: it stays in the table, off the chart and the export.")

    def act(self):
        services.retire_action_item(actor=self.request.user, via="web", item=self.item(), on=self.retire_date())


class ActionReactivateView(ActionButton):
    done_message = gettext_lazy("The action is in the plan again.")

    def act(self):
        services.reactivate_action_item(actor=self.request.user, via="web", item=self.item())

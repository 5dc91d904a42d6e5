from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceButtonView, ServiceFormView
from jichitai.core.wareki import fiscal_year, fiscal_year_label
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin

from . import boards, cost_export, costs, export, queries, rules, services
from .forms import AlignForm, InventoryFilterForm, KpisForm, PlanForm, SavePlanForm, SystemForm
from .models import CATEGORIES, BusinessSystem, CloudPlan, StandardArea


class InventoryMixin(MunicipalityMixin):
    def filtered(self):
        """(the filter form, the systems it keeps in its sort): the page shows them a page at a time, the export
        all of them."""
        categories = queries.categories(self.request.user, [self.municipality.pk])
        form = InventoryFilterForm(self.request.GET or None, categories=categories)
        return form, queries.inventory(self.request.user, self.municipality.pk, **form.params())


class InventoryView(InventoryMixin, TemplateView):
    template_name = "cloud/inventory.html"
    PER_PAGE = 100

    def get_context_data(self, **kwargs):
        form, systems = self.filtered()
        # LIMIT/OFFSET in the database plus one COUNT: the same queries on every page and at any size.
        page = Paginator(systems, self.PER_PAGE).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        for system in page.object_list:
            system.end_label = fiscal_year_label(system.contract_end_fy)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(**kwargs) | {
            "form": form, "business_systems": page.object_list, "page_obj": page,
            "is_paginated": page.paginator.num_pages > 1, "total": page.paginator.count,
            "export_query": query.urlencode()}


class InventoryExportView(InventoryMixin, View):
    """Every system the filter keeps (not only a page), in the page's sort."""

    def get(self, request, *args, **kwargs):
        _form, systems = self.filtered()
        return xlsx_response(export.inventory_bytes(systems), f"systems_{self.municipality.code}.xlsx")


class SystemFormView(MunicipalityMixin, ServiceFormView):
    template_name = "cloud/system_form.html"
    form_class = SystemForm
    write = True

    def get_system(self) -> BusinessSystem | None:
        if "system" not in self.kwargs:
            return None
        return self.scoped(BusinessSystem.objects.filter(municipality=self.municipality), pk=self.kwargs["system"])

    def get_form_kwargs(self):
        self.system = self.get_system()
        return super().get_form_kwargs() | {"instance": self.system, "municipality": self.municipality}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"system": self.system, "category_choices": CATEGORIES}

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form has already changed self.system; the service needs the stored row for "before".
        return services.save_system(actor=self.request.user, via="web", municipality=self.municipality,
                                    system=self.get_system(), **fields)

    def success_url_for(self, saved) -> str:
        return reverse("cloud:inventory", args=[self.municipality.code])


class AlignView(AssociationMixin, ServiceFormView):
    """Pick a category and members → proposed start year, paths, Gantt; POST saves it as a cloud plan.

    The alignment's own form (align_form) is read from the query string, or from the POST that saves it;
    the view's form names the plan.
    """

    template_name = "cloud/align.html"
    form_class = SavePlanForm
    success_message = gettext_lazy("Saved as a cloud plan.")

    @cached_property
    def alignment(self) -> tuple[AlignForm, dict | None, list, dict]:
        """(the alignment's form, the computed alignment or None when the form does not give one, the inventory
        snapshot, the parameters)."""
        if self.request.method == "POST":
            data = self.request.POST or None
        else:
            data = self.request.GET if "category" in self.request.GET else None
        user = self.request.user
        members = queries.members(self.association, user)
        form = AlignForm(data, categories=queries.categories(user, members), members=members,
                         lead_time=self.association.procurement_lead_years)
        if not form.is_valid():
            return form, None, [], {}
        chosen = form.cleaned_data["members"] or members
        found = list(queries.systems(user, municipalities=chosen, category=form.cleaned_data["category"]))
        if not found:
            form.add_error("category", _("No member in the selection has a system of this category."))
            return form, None, [], {}
        lead_time = form.cleaned_data["lead_time"]
        parameters = {"as_of_fy": form.cleaned_data["as_of_fy"] or fiscal_year(timezone.localdate()),
                      "lead_time": self.association.procurement_lead_years if lead_time is None else lead_time,
                      "interim_years": form.cleaned_data["interim_years"] or rules.DEFAULT_INTERIM_YEARS}
        result, inventory = queries.compute_alignment(found, form.cleaned_data["category"], parameters)
        return form, result, inventory, parameters

    def get_context_data(self, **kwargs):
        align_form, result, _inventory, _parameters = self.alignment
        names = dict(queries.members(self.association, self.request.user).values_list("code", "name"))
        return super().get_context_data(**kwargs) | {
            "align_form": align_form, "result": result, "gantt": boards.gantt(result, names) if result else None}

    def form_valid(self, form):
        if self.alignment[1] is None:  # nothing to save: the page shows the alignment form's errors
            return self.form_invalid(form)
        return super().form_valid(form)

    def save(self, form):
        _align_form, result, inventory, parameters = self.alignment
        members = queries.members(self.association, self.request.user).filter(
            code__in=[m["code"] for m in result["members"]])
        return services.save_plan(actor=self.request.user, via="web", association=self.association,
                                  members=list(members), result=result, category=result["category"],
                                  start_fy=result["start_fy"], inventory=inventory, parameters=parameters,
                                  **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("cloud:plan", args=[self.association.pk, saved.pk])


class PlansView(AssociationMixin, TemplateView):
    template_name = "cloud/plans.html"

    def get_context_data(self, **kwargs):
        plans = list(queries.plans(self.association, self.request.user))
        for plan in plans:
            plan.start_label = fiscal_year_label(plan.start_fy)
        return super().get_context_data(**kwargs) | {"plans": plans}


class PlanMixin(AssociationMixin):
    @cached_property
    def plan(self) -> CloudPlan:
        return self.scoped(queries.plans(self.association, self.request.user), pk=self.kwargs["plan"])

    def member_names(self) -> dict[str, str]:
        return {m.code: m.name for m in self.plan.members.all()}

    @cached_property
    def recomputed(self) -> dict:
        """The plan against today's inventory: what changed in the systems, and what a recomputation would give."""
        plan = self.plan
        systems = list(queries.systems(self.request.user, municipalities=[m.pk for m in plan.members.all()],
                                       category=plan.category))
        parameters = queries.plan_parameters(plan, self.association.procurement_lead_years)
        result, inventory = queries.compute_alignment(systems, plan.category, parameters) if systems else ({}, [])
        changes = rules.inventory_changes(plan.inventory, inventory)
        return {"known": bool(plan.inventory), "changes": boards.worded(changes), "result": result,
                "inventory": inventory, "stale": not plan.inventory or bool(changes),
                "result_changes": boards.worded(rules.result_changes(plan.result, result)) if result else []}


class PlanView(PlanMixin, ServiceFormView):
    template_name = "cloud/plan.html"
    form_class = PlanForm

    def get_initial(self):
        return {"name": self.plan.name, "destination": self.plan.destination}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "plan": self.plan, "gantt": boards.gantt(self.plan.result, self.member_names()),
            "recomputed": self.recomputed}

    def save(self, form):
        return services.update_plan(actor=self.request.user, via="web", plan=self.plan, **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("cloud:plan", args=[self.association.pk, saved.pk])


class PlanRecomputeView(PlanMixin, ServiceButtonView):
    """Recompute the plan from today's inventory (the page showed what would change)."""

    write = True
    done_message = "今のシステム一覧から計画を再計算しました。"

    def act(self):
        if not self.recomputed["result"]:
            raise ValidationError("計画の構成団体に、この分類のシステムがありません。")
        services.recompute_plan(actor=self.request.user, via="web", plan=self.plan,
                                result=self.recomputed["result"], inventory=self.recomputed["inventory"])

    def redirect_url(self) -> str:
        return reverse("cloud:plan", args=[self.association.pk, self.plan.pk])


class KpiView(PlanMixin, ServiceFormView):
    """Add, change and remove the plan's KPIs; their earlier values are read back from the audit log."""

    template_name = "cloud/kpis.html"
    form_class = KpisForm
    write = True

    def get_initial(self):
        return {"kpis": self.plan.kpis}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "plan": self.plan, "history": queries.kpi_history(self.plan, self.request.user)}

    def save(self, form):
        return services.save_kpis(actor=self.request.user, via="web", plan=self.plan, kpis=form.kpis)

    def success_url_for(self, saved) -> str:
        return reverse("cloud:plan", args=[self.association.pk, saved.pk])


class PlanExportView(PlanMixin, View):
    """The クラウドモデルプラン sheet and, after it, the plan's 経費比較."""

    def get(self, request, *args, **kwargs):
        table = costs.table(self.plan, self.plan.members.all())
        content = export.plan_bytes(self.plan, self.member_names(),
                                    extra_sheets=[lambda workbook: cost_export.add_cost_sheet(workbook, table)])
        return xlsx_response(content, f"cloud_plan_{self.plan.pk}.xlsx")


class StandardisationView(AssociationMixin, TemplateView):
    """20 標準化対象業務 × members: migration status and the target date that applies to it."""

    template_name = "cloud/standardisation.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        members = list(queries.members(self.association, user))
        systems = visible(BusinessSystem.objects.filter(municipality__in=[m.pk for m in members],
                                                        standard_area__isnull=False), user)
        targets = services.targets_by_status()
        return super().get_context_data(**kwargs) | {
            "members": members, "targets": services.read_areas()["targets"],
            "rows": boards.standardisation(StandardArea.objects.all(), members, systems, targets)}

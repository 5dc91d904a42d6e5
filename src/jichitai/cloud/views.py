from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from jichitai.core.wareki import fiscal_year, fiscal_year_label
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin

from . import boards, export, queries, rules, services
from .forms import AlignForm, PlanForm, SavePlanForm, SystemForm, format_kpis
from .models import CATEGORIES, BusinessSystem, CloudPlan, StandardArea

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORTS = {"category": ("category", "name"), "name": ("name",), "contract_end_fy": ("contract_end_fy", "category"),
         "vendor": ("vendor", "name"), "migration_status": ("migration_status", "category")}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class InventoryMixin(MunicipalityMixin):
    def filtered(self):
        category = self.request.GET.get("category", "")
        sort = self.request.GET.get("sort", "category")
        qs = queries.systems(self.request.user, municipalities=[self.municipality.pk], category=category or None)
        return category, sort if sort in SORTS else "category", qs.order_by(*SORTS.get(sort, SORTS["category"]), "id")


class InventoryView(InventoryMixin, TemplateView):
    template_name = "cloud/inventory.html"

    def get_context_data(self, **kwargs):
        category, sort, systems = self.filtered()
        systems = list(systems)
        for system in systems:
            system.end_label = fiscal_year_label(system.contract_end_fy)
        return super().get_context_data(**kwargs) | {
            "business_systems": systems, "category": category, "sort": sort, "sorts": list(SORTS),
            "categories": queries.categories(self.request.user, [self.municipality.pk])}


class InventoryExportView(InventoryMixin, View):
    def get(self, request, *args, **kwargs):
        _category, _sort, systems = self.filtered()
        return _xlsx(export.inventory_bytes(systems), f"systems_{self.municipality.code}.xlsx")


class SystemFormView(MunicipalityMixin, FormView):
    template_name = "cloud/system_form.html"
    form_class = SystemForm
    write = True

    def get_system(self):
        if "system" not in self.kwargs:
            return None
        return get_visible_or_404(BusinessSystem.objects.filter(municipality=self.municipality), self.request.user,
                                  write=True, pk=self.kwargs["system"])

    def get_form_kwargs(self):
        self.system = self.get_system()
        return super().get_form_kwargs() | {"instance": self.system, "municipality": self.municipality}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"system": self.system, "category_choices": CATEGORIES}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.save_system(actor=self.request.user, via="web", municipality=self.municipality,
                                 system=BusinessSystem.objects.get(pk=self.system.pk) if self.system else None,
                                 **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("cloud:inventory", code=self.municipality.code)


class TimelineView(AssociationMixin, TemplateView):
    """The seed's 「各団体の主なシステム調達時期の整理」: renewal years of every member in 3-year bands."""

    template_name = "cloud/timeline.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        members = list(queries.members(self.association, user))
        category = self.request.GET.get("category", "")
        current = fiscal_year(timezone.localdate())
        systems = queries.systems(user, municipalities=[m.pk for m in members], category=category or None)
        return super().get_context_data(**kwargs) | {
            "association": self.association, "category": category,
            "categories": queries.categories(user, [m.pk for m in members]),
            "bands": boards.bands(current), "rows": boards.timeline(members, systems, current)}


class AlignView(AssociationMixin, TemplateView):
    """Pick a category and members → proposed start year, paths, Gantt; POST saves it as a cloud plan."""

    template_name = "cloud/align.html"

    def compute(self, data):
        user = self.request.user
        members = queries.members(self.association, user)
        form = AlignForm(data or None, categories=queries.categories(user, members), members=members)
        if not form.is_valid():
            return form, None
        chosen = form.cleaned_data["members"] or members
        found = queries.alignment_members(queries.systems(user, municipalities=chosen,
                                                          category=form.cleaned_data["category"]))
        if not found:
            form.add_error("category", _("No member in the selection has a system of this category."))
            return form, None
        current = form.cleaned_data["as_of_fy"] or fiscal_year(timezone.localdate())
        alignment = rules.align(found, current,
                                lead_time=form.cleaned_data["lead_time"] if form.cleaned_data["lead_time"] is not None
                                else rules.DEFAULT_LEAD_TIME,
                                interim_years=form.cleaned_data["interim_years"] or rules.DEFAULT_INTERIM_YEARS)
        return form, queries.alignment_json(form.cleaned_data["category"], alignment)

    def render_page(self, form, result, save_form=None):
        names = dict(queries.members(self.association, self.request.user).values_list("code", "name"))
        return self.render_to_response(self.get_context_data(
            association=self.association, form=form, result=result, save_form=save_form or SavePlanForm(),
            gantt=boards.gantt(result, names) if result else None))

    def get(self, request, *args, **kwargs):
        form, result = self.compute(request.GET if "category" in request.GET else None)
        return self.render_page(form, result)

    def post(self, request, *args, **kwargs):
        form, result = self.compute(request.POST)
        save_form = SavePlanForm(request.POST)
        if result is None or not save_form.is_valid():
            return self.render_page(form, result, save_form)
        members = queries.members(self.association, request.user).filter(
            code__in=[m["code"] for m in result["members"]])
        plan = services.save_plan(actor=request.user, via="web", association=self.association, members=list(members),
                                  result=result, category=result["category"], start_fy=result["start_fy"],
                                  **save_form.cleaned_data)
        messages.success(request, _("Saved as a cloud plan."))
        return redirect("cloud:plan", pk=self.association.pk, plan=plan.pk)


class PlansView(AssociationMixin, TemplateView):
    template_name = "cloud/plans.html"

    def get_context_data(self, **kwargs):
        plans = list(queries.plans(self.association, self.request.user))
        for plan in plans:
            plan.start_label = fiscal_year_label(plan.start_fy)
        return super().get_context_data(**kwargs) | {"association": self.association, "plans": plans}


class PlanMixin(AssociationMixin):
    def get_plan(self) -> CloudPlan:
        plan = queries.plans(self.association, self.request.user).filter(pk=self.kwargs["plan"]).first()
        if plan is None:
            raise Http404
        return plan


class PlanView(PlanMixin, FormView):
    template_name = "cloud/plan.html"
    form_class = PlanForm

    def get_initial(self):
        self.plan = self.get_plan()
        return {"name": self.plan.name, "destination": self.plan.destination, "kpis": format_kpis(self.plan.kpis)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which fetches the plan
        names = {m.code: m.name for m in self.plan.members.all()}
        return context | {
            "association": self.association, "plan": self.plan, "gantt": boards.gantt(self.plan.result, names)}

    def form_valid(self, form):
        services.update_plan(actor=self.request.user, via="web", plan=self.plan, **form.cleaned_data)
        messages.success(self.request, _("Saved."))
        return redirect("cloud:plan", pk=self.association.pk, plan=self.plan.pk)


class PlanExportView(PlanMixin, View):
    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        names = {m.code: m.name for m in plan.members.all()}
        return _xlsx(export.plan_bytes(plan, names), f"cloud_plan_{plan.pk}.xlsx")


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
            "association": self.association, "members": members, "targets": services.read_areas()["targets"],
            "rows": boards.standardisation(StandardArea.objects.all(), members, systems, targets)}

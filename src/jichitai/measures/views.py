"""Pages of the safe-management-measure assessments. Thin: queries read, services write."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView
from jichitai.orgs.models import Department, Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin
from jichitai.risk import rules as risk_rules

from . import rules, services
from .export import export_bytes
from .forms import AssessmentForm, MeasureFilterForm
from .models import Assessment
from .queries import (
    assessable_items,
    countermeasure_evidence,
    filter_slots,
    member_summaries,
    slots_for,
)

CATEGORY_LABEL = dict(risk_rules.CATEGORIES)  # organisational → 組織的 …


class FilteredSlotsMixin(MunicipalityMixin):
    """Slots of the municipality filtered by the query string: the same for the page and its export."""

    def filtered(self):
        slots = slots_for(self.request.user, self.municipality)
        frameworks = list({s.item.framework.id: s.item.framework for s in slots}.values())
        categories = list(dict.fromkeys(s.item.category for s in slots))
        form = MeasureFilterForm(self.request.GET, municipality=self.municipality, frameworks=frameworks,
                                 categories=categories)
        return slots, frameworks, form, filter_slots(slots, **form.params())


def _groups(slots, evidence) -> list[dict]:
    """Slots grouped by framework and 区分 in the frameworks' order, with the category's countermeasures."""
    groups: dict[tuple, dict] = {}
    for slot in slots:
        item = slot.item
        key = (item.framework_id, item.category)
        if key not in groups:
            category = item.countermeasure_category
            groups[key] = {"framework": item.framework, "category": item.category, "slots": [],
                           "evidence_key": category, "evidence_label": CATEGORY_LABEL.get(category, ""),
                           "evidence": evidence[category] if category else None,
                           "order": (item.framework_id, item.position)}
        group = groups[key]
        group["slots"].append(slot)
        # Groups keep the frameworks' order whatever the sort within them.
        group["order"] = min(group["order"], (item.framework_id, item.position))
    return sorted(groups.values(), key=lambda g: g["order"])


class MeasuresView(FilteredSlotsMixin, TemplateView):
    template_name = "measures/municipality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slots, frameworks, form, shown = self.filtered()
        evidence = countermeasure_evidence(self.request.user, self.municipality)
        summaries = [(f, rules.summarise(s.status for s in slots if s.item.framework_id == f.id)) for f in frameworks]
        context.update(form=form, groups=_groups(shown, evidence), summaries=summaries, shown=len(shown),
                       total=len(slots), export_query=self.request.GET.urlencode(), statuses=rules.STATUSES)
        return context


class MeasuresExportView(FilteredSlotsMixin, View):
    def get(self, request, *args, **kwargs):
        _slots, _frameworks, _form, shown = self.filtered()
        evidence = countermeasure_evidence(request.user, self.municipality, limit=0)
        return xlsx_response(export_bytes(self.municipality, shown, evidence, timezone.localdate()),
                             f"measures_{self.municipality.code}.xlsx")


class AssessmentEditView(MunicipalityMixin, ServiceFormView):
    """The assessment of one item (for one department): created on the first save."""

    template_name = "measures/assessment_form.html"
    form_class = AssessmentForm
    write = True

    def resolve(self):
        # The item is only read (the guideline's list is no one's to change): the assessment is what is written.
        self.item = get_visible_or_404(assessable_items(self.municipality), self.request.user, pk=self.kwargs["item"])
        self.department = None
        if "department" in self.kwargs:
            self.department = self.scoped(Department.objects.filter(municipality=self.municipality),
                                          pk=self.kwargs["department"])
        per_department = self.item.departmental and self.municipality.departments.exists()
        if per_department != (self.department is not None):
            raise Http404  # not a slot of this municipality: the list page links only to real ones
        self.assessment = visible(Assessment.objects.filter(
            municipality=self.municipality, item=self.item, department=self.department), self.request.user).first()

    def get_form_kwargs(self):
        self.resolve()
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.assessment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"item": self.item, "department": self.department,
                                                     "assessment": self.assessment}

    def save(self, form):
        return services.save_assessment(actor=self.request.user, via="web", municipality=self.municipality,
                                        item=self.item, department=self.department, **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("measures:municipality", args=[self.municipality.code])


class AssociationMeasuresView(AssociationMixin, TemplateView):
    """The secretariat compares its members: per checklist, how many slots are done, in progress, open, n/a."""

    template_name = "measures/association.html"
    KEYS = ("done", "in_progress", "not_started", "not_applicable", "percent_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = visible(Municipality.objects.members_of(self.association), self.request.user)
        frameworks, rows = member_summaries(members)
        sort = self.request.GET.get("sort", "code")
        code, _dot, key = sort.partition(":")
        if sort == "name":
            rows.sort(key=lambda r: r.municipality.name)
        elif key in self.KEYS and any(f.code == code for f in frameworks):
            # Highest first: the most done, or, sorting by 未対応, the members furthest behind.
            rows.sort(key=lambda r: r.value(code, key), reverse=True)
        else:
            sort = "code"
        context.update(frameworks=frameworks, rows=rows, sort=sort,
                       columns=[(key, label) for key, label in zip(self.KEYS, _column_labels(), strict=True)])
        return context


def _column_labels():
    return [rules.STATUS_LABEL["done"], rules.STATUS_LABEL["in_progress"], rules.STATUS_LABEL["not_started"],
            rules.STATUS_LABEL["not_applicable"], _("Percent done")]

from django.utils import timezone
from django.views.generic import TemplateView

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin
from jichitai.processes.forms import MatrixFilterForm

from . import rules
from .queries import evaluate


def _as_of(request):
    """The as-of date of the page (today when absent or invalid; the form shows why)."""
    form = MatrixFilterForm(request.GET or None, municipality=None)
    return form, (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()


class MunicipalityChecklistView(MunicipalityMixin, TemplateView):
    template_name = "checklist/municipality.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, as_of = _as_of(self.request)
        items = evaluate(self.request.user, [self.municipality], as_of)[self.municipality.pk]
        context.update(form=form, as_of=as_of, items=items)
        return context


class AssociationChecklistView(AssociationMixin, TemplateView):
    template_name = "checklist/association.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, as_of = _as_of(self.request)
        members = list(visible(Municipality.objects.filter(association=self.association), self.request.user))
        results = evaluate(self.request.user, members, as_of)
        rows = [(m, results[m.pk]) for m in members]
        totals = {item_id: {status: sum(1 for _m, items in rows for i in items if i.id == item_id and i.status == status)
                            for status in (rules.OK, rules.ATTENTION, rules.NG)} for item_id, _ in rules.ITEMS}
        context.update(form=form, as_of=as_of, rows=rows, items=rules.ITEMS, totals=totals)
        return context

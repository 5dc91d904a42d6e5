"""The procurement-timing board (seed 7.「各団体の主なシステム調達時期の整理」) and its .xlsx.

Both read the same filters from the query string (分類, 団体, 基準年度) and run a fixed number of queries: the
members, the categories, the systems; procurement.board arranges them.
"""

from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.wareki import fiscal_year
from jichitai.orgs.views import AssociationMixin

from . import procurement, procurement_export, queries
from .procurement_forms import TimelineFilterForm


class TimelineMixin(AssociationMixin):
    @cached_property
    def timeline(self) -> tuple[TimelineFilterForm, dict, str]:
        """(the filter form, the board, the category shown). An invalid filter is shown as an error and left out:
        the board is drawn with the valid ones (an unreadable 基準年度: as of this fiscal year)."""
        user = self.request.user
        members = list(queries.members(self.association, user))
        member_ids = [m.pk for m in members]
        form = TimelineFilterForm(self.request.GET or None, categories=queries.categories(user, member_ids),
                                  members=members)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})  # an unbound form has none
        category, code = data.get("category") or "", data.get("member") or ""
        if code:
            members = [m for m in members if m.code == code]
        as_of = data.get("as_of") or fiscal_year(timezone.localdate())
        systems = queries.systems(user, municipalities=[m.pk for m in members], category=category or None)
        board = procurement.board(members, systems, as_of_fy=as_of,
                                  lead_years=self.association.procurement_lead_years)
        return form, board, category


class TimelineView(TimelineMixin, TemplateView):
    """Each member's systems in 3-year bands of the year their procurement must start (契約終了年度 − 準備期間)."""

    template_name = "cloud/timeline.html"

    def get_context_data(self, **kwargs):
        form, board, category = self.timeline
        return super().get_context_data(**kwargs) | {
            "form": form, "board": board, "category": category, "export_query": self.request.GET.urlencode()}


class TimelineExportView(TimelineMixin, View):
    def get(self, request, *args, **kwargs):
        _form, board, category = self.timeline
        return xlsx_response(procurement_export.timeline_bytes(board, association_name=self.association.name,
                                                               category=category),
                             f"procurement_timeline_{self.association.pk}.xlsx")

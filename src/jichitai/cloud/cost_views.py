"""The plan's 経費比較 page (the sharing table, a bar chart, the secretariat's estimate form) and its sheet."""

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView

from . import cost_export, cost_services, costs, rules
from .views import PlanMixin


def _integer(label: str, low: int, high: int, *, required: bool, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=low, max_value=high, required=required, help_text=help_text,
        error_messages={"required": f"{label}を入力してください。", "invalid": f"{label}は整数で入力してください。",
                        "min_value": f"{label}は{low:,}以上で入力してください。",
                        "max_value": f"{label}は{high:,}以下で入力してください。"})


class PlanCostForm(NoEchoMyNumberMixin, forms.Form):
    joint_initial_cost = _integer("共同クラウドの初期経費（千円）", 0, rules.COST_MAX, required=False,
                                  help_text="空欄は未定（要確認）。")
    joint_annual_cost = _integer("共同クラウドの年間経費（千円）", 0, rules.COST_MAX, required=False,
                                 help_text="空欄は未定（要確認）。")
    share_rule = forms.ChoiceField(label="負担割合の決め方", choices=rules.SHARE_RULES,
                                   widget=forms.RadioSelect(attrs={"style": "width: auto"}),
                                   error_messages={"required": "負担割合の決め方を選んでください。",
                                                   "invalid_choice": "負担割合の決め方は一覧から選んでください。"})
    equal_share_percent = _integer("均等割の割合（％）", 0, 100, required=True,
                                   help_text="併用のとき、この割合を均等割、残りを人口割で負担します。")
    cost_years = _integer("比較期間（年）", 1, 20, required=True, help_text="参加年度からの年数。")


class PlanCostView(PlanMixin, ServiceFormView):
    """GET: the 経費比較 of a plan; POST (the secretariat): its estimate and sharing rule."""

    template_name = "cloud/plan_costs.html"
    form_class = PlanCostForm
    success_message = "経費の見積りを保存しました。"

    def get_initial(self):
        return {name: getattr(self.plan, name) for name in cost_services.COST_FIELDS}

    @cached_property
    def table(self) -> costs.CostTable:
        return costs.table(self.plan, self.plan.members.all())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "plan": self.plan, "table": self.table, "chart": costs.chart(self.table)}

    def save(self, form):
        return cost_services.update_plan_costs(actor=self.request.user, via="web", plan=self.plan,
                                               **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("cloud:plan_costs", args=[self.association.pk, saved.pk])


class PlanCostExportView(PlanMixin, View):
    def get(self, request, *args, **kwargs):
        data = cost_export.cost_bytes(costs.table(self.plan, self.plan.members.all()))
        return xlsx_response(data, f"cloud_plan_{self.plan.pk}_costs.xlsx")

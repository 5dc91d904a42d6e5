from django.db import models

from jichitai.core.validators import reject_my_number
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Municipality

from . import rules


class MemberChecklist(models.Model):
    """One municipality's five items as last evaluated, for the association grid: per item its status and how
    many findings. Written with the member's MemberProgress by the same evaluation, whose chain heads say
    whether both are still fresh. Fields `<item>_status` and `<item>_findings` are added below."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, primary_key=True,
                                        related_name="checklist_summary")
    as_of = models.DateField()
    evaluated_at = models.DateTimeField()

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality__code"]

    def __str__(self) -> str:
        return f"{self.municipality} {format_date(self.as_of)}"

    @property
    def items(self) -> list[tuple[str, str, int]]:
        """(item id, status, findings) in the seed's order."""
        return [(item, getattr(self, f"{item}_status"), getattr(self, f"{item}_findings")) for item, _ in rules.ITEMS]


for _item, _title in rules.ITEMS:
    MemberChecklist.add_to_class(f"{_item}_status", models.CharField(
        max_length=10, choices=[(rules.OK, "OK"), (rules.ATTENTION, "要確認"), (rules.NG, "NG")],
        validators=[reject_my_number]))
    MemberChecklist.add_to_class(f"{_item}_findings", models.PositiveIntegerField(default=0,
                                                                                  validators=[reject_my_number]))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import MUNICIPALITY, MenuItem


class LinkageConfig(AppConfig):
    name = "jichitai.linkage"
    label = "linkage"
    menu = (
        MenuItem(_("Systems"), "linkage:systems", MUNICIPALITY, "analysis", 50),
    )

    def ready(self):
        from jichitai.processes import evidence

        from .queries import evidence_cells

        evidence.register(evidence_cells)

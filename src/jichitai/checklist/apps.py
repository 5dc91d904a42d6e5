from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class ChecklistConfig(AppConfig):
    name = "jichitai.checklist"
    label = "checklist"
    menu = (
        MenuItem(_("Checklist"), "checklist:municipality", MUNICIPALITY, "analysis", 10),
        MenuItem(_("Checklist"), "checklist:association", ASSOCIATION, "analysis", 10),
    )

    def ready(self):
        from jichitai.processes.summary_services import register_step

        from .summaries import store_checklists

        register_step(store_checklists)

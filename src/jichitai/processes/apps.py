from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem
from jichitai.core.reference import ReferenceData


class ProcessesConfig(AppConfig):
    name = "jichitai.processes"
    label = "processes"
    menu = (
        MenuItem(_("Register & progress"), "processes:matrix", MUNICIPALITY, "work", 10),
        MenuItem(_("Ordinances"), "processes:ordinances", MUNICIPALITY, "work", 20),
        MenuItem(_("Progress"), "processes:association", ASSOCIATION, "work", 10),
    )
    reference_data = (ReferenceData("beppyo", "番号法 別表", "jichitai.processes.services.load_beppyo"),)

    def ready(self):
        from jichitai.orgs.services import DEPARTMENT_MERGE_HOOKS

        from .services import move_department_processes

        if move_department_processes not in DEPARTMENT_MERGE_HOOKS:
            DEPARTMENT_MERGE_HOOKS.append(move_department_processes)

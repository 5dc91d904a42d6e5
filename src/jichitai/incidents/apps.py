from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class IncidentsConfig(AppConfig):
    name = "jichitai.incidents"
    label = "incidents"
    menu = (
        MenuItem(_("Incidents"), "incidents:register", MUNICIPALITY, "incidents", 10),
        MenuItem(_("Incidents"), "incidents:association", ASSOCIATION, "incidents", 10),
    )

    def ready(self):
        from jichitai.processes import notices

        from .queries import overdue_notices

        notices.register(overdue_notices)

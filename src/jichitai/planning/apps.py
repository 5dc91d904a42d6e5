from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MenuItem


class PlanningConfig(AppConfig):
    name = "jichitai.planning"
    label = "planning"
    menu = (
        MenuItem(_("Issue analysis"), "planning:workshops", ASSOCIATION, "cloud", 10),
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class RiskConfig(AppConfig):
    name = "jichitai.risk"
    label = "risk"
    menu = (
        MenuItem(_("Risk"), "risk:municipality", MUNICIPALITY, "analysis", 20),
        MenuItem(_("Risk"), "risk:association", ASSOCIATION, "analysis", 20),
    )

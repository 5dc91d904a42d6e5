from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import MUNICIPALITY, MenuItem


class ExchangeConfig(AppConfig):
    name = "jichitai.exchange"
    label = "exchange"
    menu = (
        MenuItem(_("Import"), "exchange:import", MUNICIPALITY, "work", 40),
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem
from jichitai.core.reference import ReferenceData


class MeasuresConfig(AppConfig):
    name = "jichitai.measures"
    label = "measures"
    menu = (
        MenuItem(_("Safe management measures"), "measures:municipality", MUNICIPALITY, "analysis", 40),
        MenuItem(_("Safe management measures"), "measures:association", ASSOCIATION, "analysis", 30),
    )
    reference_data = (ReferenceData("framework", "安全管理措置", "jichitai.measures.services.load_default_framework"),)

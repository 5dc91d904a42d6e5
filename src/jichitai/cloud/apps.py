from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem
from jichitai.core.reference import ReferenceData


class CloudConfig(AppConfig):
    name = "jichitai.cloud"
    label = "cloud"
    menu = (
        MenuItem(_("System inventory"), "cloud:inventory", MUNICIPALITY, "cloud", 10),
        MenuItem(_("Cloud planning"), "cloud:timeline", ASSOCIATION, "cloud", 20),
    )
    reference_data = (ReferenceData("standard_areas", "標準化対象業務", "jichitai.cloud.services.load_standard_areas"),)

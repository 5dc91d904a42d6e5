from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import MUNICIPALITY, MenuItem


class OrgsConfig(AppConfig):
    name = "jichitai.orgs"
    label = "orgs"
    menu = (
        MenuItem(_("Staff"), "orgs:staff", MUNICIPALITY, "people", 20),
        MenuItem(_("Audit log"), "orgs:audit", MUNICIPALITY, "admin", 10),
    )

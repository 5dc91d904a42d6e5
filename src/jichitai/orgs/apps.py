from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class OrgsConfig(AppConfig):
    name = "jichitai.orgs"
    label = "orgs"
    # 利用者管理 answers 403 to anyone but the scope's admin; hiding the entry from others needs a per-user
    # filter in core.navigation (MenuItem has none yet).
    menu = (
        MenuItem(_("Staff"), "orgs:staff", MUNICIPALITY, "people", 20),
        MenuItem(_("Audit log"), "orgs:audit", MUNICIPALITY, "admin", 10),
        MenuItem(_("User management"), "orgs:users", MUNICIPALITY, "admin", 15),
        MenuItem(_("User management"), "orgs:association_users", ASSOCIATION, "admin", 90),
    )

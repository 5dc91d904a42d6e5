from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class OrgsConfig(AppConfig):
    name = "jichitai.orgs"
    label = "orgs"
    # 利用者管理 answers 403 to anyone but the scope's admin: the entry is shown to the admin only.
    menu = (
        MenuItem(_("Staff"), "orgs:staff", MUNICIPALITY, "people", 20),
        MenuItem(_("Departments"), "orgs:departments", MUNICIPALITY, "people", 21),
        MenuItem(_("Audit log"), "orgs:audit", MUNICIPALITY, "admin", 10),
        MenuItem(_("User management"), "orgs:users", MUNICIPALITY, "admin", 15,
                 shown_to="jichitai.orgs.scoping.offers_municipality_users"),
        MenuItem(_("Audit log"), "audit:association", ASSOCIATION, "admin", 80),
        MenuItem(_("Association settings"), "orgs:association_settings", ASSOCIATION, "admin", 85,
                 shown_to="jichitai.orgs.scoping.offers_association_settings"),
        MenuItem(_("User management"), "orgs:association_users", ASSOCIATION, "admin", 90,
                 shown_to="jichitai.orgs.scoping.offers_association_users"),
    )

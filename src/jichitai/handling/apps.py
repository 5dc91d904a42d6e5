from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class HandlingConfig(AppConfig):
    name = "jichitai.handling"
    label = "handling"
    menu = (
        MenuItem(_("Model processes"), "handling:member_templates", MUNICIPALITY, "work", 30),
        MenuItem(_("Model processes"), "handling:templates", ASSOCIATION, "work", 20),
        MenuItem("取扱記録", "handling:records", MUNICIPALITY, "work", 35),
        MenuItem("取扱規程の見直し", "handling:rules_documents", MUNICIPALITY, "work", 36),
    )

    def ready(self):
        from jichitai.processes import evidence
        from jichitai.risk import services as risk_services

        from .queries import evidence as analysis_evidence
        from .services import recompute_values

        evidence.register(analysis_evidence)
        risk_services.on_settings_changed(recompute_values)

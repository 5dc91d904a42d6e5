from django.apps import AppConfig


class HandlingConfig(AppConfig):
    name = "jichitai.handling"
    label = "handling"

    def ready(self):
        from jichitai.processes import evidence
        from jichitai.risk import services as risk_services

        from .queries import evidence as analysis_evidence
        from .services import recompute_values

        evidence.register(analysis_evidence)
        risk_services.on_settings_changed(recompute_values)

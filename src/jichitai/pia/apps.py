from django.apps import AppConfig


class PiaConfig(AppConfig):
    name = "jichitai.pia"
    label = "pia"

    def ready(self):
        from jichitai.processes import evidence

        from .queries import evidence_cells

        evidence.register(evidence_cells)

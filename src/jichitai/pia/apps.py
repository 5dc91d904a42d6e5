from django.apps import AppConfig

from jichitai.core.navigation import MUNICIPALITY, MenuItem


class PiaConfig(AppConfig):
    name = "jichitai.pia"
    label = "pia"
    menu = (
        MenuItem("PIA", "pia:municipality", MUNICIPALITY, "analysis", 30),
    )

    def ready(self):
        from jichitai.processes import evidence

        from .queries import evidence_cells

        evidence.register(evidence_cells)

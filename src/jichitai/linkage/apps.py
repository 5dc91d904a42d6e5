from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jichitai.linkage"
    label = "linkage"

    def ready(self):
        from jichitai.processes import evidence

        from .queries import evidence_cells

        evidence.register(evidence_cells)

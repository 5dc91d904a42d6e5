from django.apps import AppConfig

from jichitai.core.reference import ReferenceData


class ProcessesConfig(AppConfig):
    name = "jichitai.processes"
    label = "processes"
    reference_data = (ReferenceData("beppyo", "番号法 別表", "jichitai.processes.services.load_beppyo"),)

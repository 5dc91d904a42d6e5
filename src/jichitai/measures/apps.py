from django.apps import AppConfig

from jichitai.core.reference import ReferenceData


class MeasuresConfig(AppConfig):
    name = "jichitai.measures"
    label = "measures"
    reference_data = (ReferenceData("framework", "安全管理措置", "jichitai.measures.services.load_default_framework"),)

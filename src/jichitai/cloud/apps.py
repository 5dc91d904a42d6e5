from django.apps import AppConfig

from jichitai.core.reference import ReferenceData


class CloudConfig(AppConfig):
    name = "jichitai.cloud"
    label = "cloud"
    reference_data = (ReferenceData("standard_areas", "標準化対象業務", "jichitai.cloud.services.load_standard_areas"),)

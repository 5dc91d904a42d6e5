from django.apps import AppConfig

from jichitai.core.reference import ReferenceData


class TrainingConfig(AppConfig):
    name = "jichitai.training"
    label = "training"
    reference_data = (ReferenceData("curriculum", "研修カリキュラム", "jichitai.training.services.load_curriculum"),)

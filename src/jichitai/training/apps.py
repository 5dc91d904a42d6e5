from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "jichitai.training"
    label = "training"

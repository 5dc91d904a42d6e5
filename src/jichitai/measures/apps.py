from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "jichitai.measures"
    label = "measures"

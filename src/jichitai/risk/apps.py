from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "jichitai.risk"
    label = "risk"

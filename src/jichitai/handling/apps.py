from django.apps import AppConfig


class HandlingConfig(AppConfig):
    name = "jichitai.handling"
    label = "handling"

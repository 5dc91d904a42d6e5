from django.apps import AppConfig


class PiaConfig(AppConfig):
    name = "jichitai.pia"
    label = "pia"

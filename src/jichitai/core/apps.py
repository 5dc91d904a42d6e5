from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jichitai.core"
    label = "core"

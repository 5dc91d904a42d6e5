from django.apps import AppConfig


class CloudConfig(AppConfig):
    name = "jichitai.cloud"
    label = "cloud"

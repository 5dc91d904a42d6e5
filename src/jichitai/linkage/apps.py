from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jichitai.linkage"
    label = "linkage"

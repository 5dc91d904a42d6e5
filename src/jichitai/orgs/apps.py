from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jichitai.orgs"
    label = "orgs"

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "jichitai.incidents"
    label = "incidents"

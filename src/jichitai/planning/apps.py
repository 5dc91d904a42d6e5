from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "jichitai.planning"
    label = "planning"

from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "jichitai.processes"
    label = "processes"

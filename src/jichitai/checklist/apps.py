from django.apps import AppConfig


class ChecklistConfig(AppConfig):
    name = "jichitai.checklist"
    label = "checklist"

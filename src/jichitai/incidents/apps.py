from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "jichitai.incidents"
    label = "incidents"

    def ready(self):
        from jichitai.processes import notices

        from .queries import overdue_notices

        notices.register(overdue_notices)

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jichitai.demo"
    label = "demo"
    verbose_name = "Demo data"

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the installation: backup and restore."""

    name = "jichitai.ops"
    label = "ops"

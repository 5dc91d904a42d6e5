from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The front door: login events in the audit log, the 「アカウント」 page (password, sessions, tokens)."""

    name = "jichitai.accounts"
    label = "accounts"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the login signals)

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "jichitai.exchange"
    label = "exchange"

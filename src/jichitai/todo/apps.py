from django.apps import AppConfig

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem


class TodoConfig(AppConfig):
    name = "jichitai.todo"
    label = "todo"
    # First in the first group: the page every user starts from.
    menu = (
        MenuItem("やること", "todo:municipality", MUNICIPALITY, "work", 0),
        MenuItem("やること", "todo:association", ASSOCIATION, "work", 0),
    )

from django import template

from jichitai.cloud.rules import PATH_LABEL

register = template.Library()


@register.filter
def path_label(path: str) -> str:
    """aligned / follower / interim in the words of the seed's plans."""
    return PATH_LABEL.get(path, path)

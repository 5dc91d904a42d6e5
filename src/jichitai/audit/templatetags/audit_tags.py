from django import template

from jichitai.audit import labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """「権限の付与」 for membership.grant."""
    return labels.action_label(code)


@register.filter
def actor_text(entry) -> str:
    return labels.actor_text(entry)


@register.filter
def audit_changes(entry) -> list:
    """The entry's changes in words (labels.Change: label, before, after)."""
    return labels.changes(entry)


@register.simple_tag
def audit_action_groups() -> list:
    return labels.action_groups()

"""Dates on screens as municipal documents write them (和暦): {{ day|wareki }}, {{ moment|wareki_datetime }}."""

import datetime as dt

from django import template
from django.utils import timezone

from jichitai.core.wareki import format_wareki

register = template.Library()


@register.filter
def wareki(day) -> str:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return format_wareki(day) if isinstance(day, dt.date) else ""


@register.filter
def wareki_datetime(moment) -> str:
    if not isinstance(moment, dt.datetime):
        return ""
    local = timezone.localtime(moment)
    return f"{format_wareki(local.date())} {local:%H:%M}"

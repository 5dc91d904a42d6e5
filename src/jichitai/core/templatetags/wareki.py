"""Dates on screens in the viewing association's style (和暦 by default, core.wareki):

{{ day|wareki }} → 令和8年12月3日 (a date-time adds 14:05), {{ day|wareki_short }} → R8.12.3 where a table is narrow,
{{ moment|wareki_datetime }} → 令和8年12月3日 14:05, {{ fy|fiscal_year }} → 令和8年度, {{ fy|fiscal_year:"both" }} →
令和8年度（2026年度）. A builtin of every template (settings.TEMPLATES). An ISO date kept as text is read as a date, other text shown as it is; None as nothing, so `|default:"—"` still works.
"""

import datetime as dt

from django import template
from django.utils import timezone

from jichitai.core.wareki import format_date, format_date_short, format_datetime, format_fiscal_year

register = template.Library()


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _from_text(value):
    """A date kept as ISO text (reference data in JSON) as a date; other text as it is."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return value


@register.filter
def wareki(day) -> str:
    if isinstance(day, str):
        day = _from_text(day)
        if isinstance(day, str):
            return day
    if isinstance(day, dt.datetime):
        return format_datetime(_local(day))
    return format_date(day) if isinstance(day, dt.date) else ""


@register.filter
def wareki_date(day) -> str:
    """Only the day, even of a date-time (令和8年12月3日)."""
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    return format_date(day) if isinstance(day, dt.date) else ""


@register.filter
def wareki_short(day) -> str:
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    return format_date_short(day) if isinstance(day, dt.date) else ""


@register.filter
def wareki_datetime(moment) -> str:
    if isinstance(moment, dt.datetime):
        return format_datetime(_local(moment))
    return format_date(moment) if isinstance(moment, dt.date) else ""


@register.filter
def wareki_seconds(moment) -> str:
    """令和8年12月3日 14:05:09, for logs."""
    if not isinstance(moment, dt.datetime):
        return wareki(moment)
    local = _local(moment)
    return f"{format_date(local.date())} {local:%H:%M:%S}"


@register.filter
def fiscal_year(year, both: str = "") -> str:
    try:
        number = int(year)
    except (TypeError, ValueError):
        return ""
    return format_fiscal_year(number, both=both == "both")

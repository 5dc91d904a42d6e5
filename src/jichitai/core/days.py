"""Days as the records are kept: dates in Asia/Tokyo, times timezone-aware."""

import datetime as dt

from django.utils import timezone


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in Asia/Tokyo, for created_at < end_of_day(day)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))

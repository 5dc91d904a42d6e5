"""Per source address throttle on the login POST (the per-account lockout is django-axes').

A fixed one-minute window in Django's cache. With the default local-memory cache each server process counts
for itself, so N worker processes allow up to N times the limit: still far below what a password guesser
needs, and no extra service to run.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def address_allowed(address: str) -> bool:
    """Count one login attempt from `address`; False once the address is over its per-minute limit."""
    limit = settings.LOGIN_ADDRESS_LIMIT_PER_MINUTE
    if limit <= 0:
        return True
    key = f"jichitai:login-address:{address}:{int(timezone.now().timestamp()) // 60}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= limit

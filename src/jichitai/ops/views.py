"""`/healthz`, for the load balancer, the reverse proxy and monitoring (docs/deploy.md).

200 {"status": "ok"} when the database answers and every migration of this version is applied, 503
{"status": "ng"} otherwise. Nothing else is in the answer (no version, no error text, no data): it is reachable
without signing in. It reads no session and no user, so it never counts against django-axes or the login
throttle, and the probe of a monitor leaves no session behind.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jichitai.ops.schema import pending_migrations

logger = logging.getLogger(__name__)


def _healthy() -> bool:
    try:
        connections[DEFAULT_DB_ALIAS].ensure_connection()
        # Reading the applied migrations is the query that shows the database answers.
        if pending := pending_migrations():
            logger.warning("healthz: %d migrations not applied (%s)", len(pending), pending[0])
            return False
    except Exception:  # any failure to reach or read the database is "ng", never a 500
        logger.warning("healthz: the database does not answer", exc_info=True)
        return False
    return True


@never_cache
@require_safe
def healthz(request):
    if _healthy():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "ng"}, status=503)

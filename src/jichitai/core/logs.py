"""Log lines as one JSON object each (JICHITAI_LOG_FORMAT=json), for a log collector; README "Configuration".

Every text that goes out is masked by `mask_my_numbers`, whatever the handler's filters: the message, the
request path, the exception and the stack (the MaskMyNumbers filter of core.logging masks them too; this
formatter does not rely on it, so a handler configured without the filter still never writes a number).
"""

import datetime as dt
import json
import logging
from collections.abc import Mapping

from .mynumber import mask_my_numbers


def _request_fields(record: logging.LogRecord) -> dict:
    """The request path, method and status where the record carries them: Django's django.request and
    django.server loggers pass `request` and `status_code`; gunicorn's access log passes its atoms (U: path,
    q: query string, m: method, s: status, D: microseconds)."""
    fields: dict = {}
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)
    if isinstance(path, str):  # an HttpRequest (django.server passes the socket, which has no path)
        fields["path"] = path
        fields["method"] = getattr(request, "method", None)
    status = getattr(record, "status_code", None)
    if isinstance(status, int):
        fields["status"] = status
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        atoms = record.args
        query = atoms.get("q") or ""
        fields["path"] = f"{atoms.get('U', '')}?{query}" if query else atoms.get("U", "")
        fields["method"] = atoms.get("m")
        if str(atoms.get("s", "")).isdigit():
            fields["status"] = int(atoms["s"])
        if isinstance(atoms.get("D"), int):
            fields["duration_ms"] = atoms["D"] // 1000
    return {key: mask_my_numbers(value) if isinstance(value, str) else value
            for key, value in fields.items() if value is not None}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601 with the offset of the server's time zone, Asia/Tokyo once
    Django is set up), level, logger, message, and path / method / status / duration_ms of a request where the
    record carries one, then exception and stack when present. Non-ASCII is written as is (UTF-8)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_my_numbers(record.getMessage()),
        }
        entry.update(_request_fields(record))
        if record.exc_info and record.exc_info != (None, None, None):
            entry["exception"] = mask_my_numbers(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = mask_my_numbers(record.exc_text)
        if record.stack_info:
            entry["stack"] = mask_my_numbers(self.formatStack(record.stack_info))
        # default=str: a message argument that JSON cannot encode never stops a log line.
        return json.dumps(entry, ensure_ascii=False, default=str)

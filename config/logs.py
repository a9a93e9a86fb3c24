"""Log records with the context an operator needs: the request id on every line, and for records
about a request (Django's errors and warnings carry it) the method, path and user."""

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter


class RequestContextFilter(logging.Filter):
    """Adds `method`, `path` and `user_id` to records that carry a `request` (django.request,
    django.security, and our own `logger.error(…, extra={"request": request})`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None or not hasattr(request, "path"):
            return True
        record.method = request.method
        record.path = request.path
        record.user_id = _user_id(request)
        return True


def _user_id(request) -> int | None:
    # Looking the user up may itself fail (the error being logged can be the database's):
    # the record is still written, without the user.
    try:
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # noqa: BLE001
        return None


def json_formatter() -> JsonFormatter:
    """One JSON object a line: time, level, logger, message, request id, and any extra fields
    (status_code, method, path, user_id, exc_info). The request object itself is left out."""
    return JsonFormatter(
        "{levelname}{name}{message}{request_id}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
    )

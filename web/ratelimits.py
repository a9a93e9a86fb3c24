"""Rate limits on the costly endpoints (django-ratelimit), counted in Redis (web/counters.py).

Rates come from settings at request time (BONTOT_RATE_DOCUMENTS, BONTOT_RATE_VERIFY_UPLOAD), so
an operator can change them through the environment. A request over the limit gets the 429 page
(`rate_limited` below, through RatelimitMiddleware)."""

import re

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit


def _documents_rate(group, request) -> str:
    return settings.BONTOT_RATE_DOCUMENTS


def _verify_upload_rate(group, request) -> str:
    return settings.BONTOT_RATE_VERIFY_UPLOAD


# Every document generated on request (PDF, Excel) draws on one budget per user.
limit_documents = ratelimit(group="documents", key="user_or_ip", rate=_documents_rate)
# Checking an uploaded PDF's seal is public: counted per address, on POST only.
limit_verify_upload = ratelimit(
    group="verify_upload", key="ip", rate=_verify_upload_rate, method="POST"
)


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The grammar django-ratelimit reads a rate with (its README: "count/[multiplier]unit", the unit
# one lower-case letter; what follows is ignored, so "30/minute" is 30 a minute).
RATE = re.compile(r"(\d+)/(\d*)([smhd])?")


def window_seconds(rate: str) -> int:
    """The window, in seconds, that django-ratelimit counts `rate` in ("30/m", "10/5m")."""
    match = RATE.match(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    return int(match.group(2) or 1) * PERIODS[match.group(3) or "s"]


def rate_limited(request, exception):
    """Too many costly requests in a short time (django-ratelimit): the 429 page, with a
    Retry-After of the longest window (the budget is whole again by then at the latest)."""
    response = render(request, "429.html", status=429)
    windows = (settings.BONTOT_RATE_DOCUMENTS, settings.BONTOT_RATE_VERIFY_UPLOAD)
    response["Retry-After"] = str(max(window_seconds(rate) for rate in windows))
    return response

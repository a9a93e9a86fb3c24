"""Error pages that are not tied to one app."""

from django.conf import settings
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _period_seconds(rate: str) -> int:
    """The length of a django-ratelimit window: "30/m" → 60, "100/5m" → 300."""
    _count, _slash, period = rate.partition("/")
    multiple = period[:-1] or "1"
    return int(multiple) * PERIODS.get(period[-1:], 60)


def rate_limited(request, exception):
    """Too many costly requests in a short time (django-ratelimit): the 429 page, with a
    Retry-After of the longest window (the budget is whole again by then at the latest)."""
    response = render(request, "429.html", status=429)
    windows = (settings.BONTOT_RATE_DOCUMENTS, settings.BONTOT_RATE_VERIFY_UPLOAD)
    response["Retry-After"] = str(max(_period_seconds(rate) for rate in windows))
    return response

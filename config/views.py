"""Error pages that are not tied to one app."""

from django.conf import settings
from django.shortcuts import render

# django-ratelimit's own parsing of a rate ("30/m" → (30, 60)), so that the window announced is
# the one the limiter counts in.
from django_ratelimit.core import _split_rate


def rate_limited(request, exception):
    """Too many costly requests in a short time (django-ratelimit): the 429 page, with a
    Retry-After of the longest window (the budget is whole again by then at the latest)."""
    response = render(request, "429.html", status=429)
    windows = (settings.BONTOT_RATE_DOCUMENTS, settings.BONTOT_RATE_VERIFY_UPLOAD)
    response["Retry-After"] = str(max(_split_rate(rate)[1] for rate in windows))
    return response

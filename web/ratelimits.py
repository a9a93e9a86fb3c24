"""Rate limits on the costly endpoints (django-ratelimit), counted in the default cache.

Rates come from settings at request time (BONTOT_RATE_DOCUMENTS, BONTOT_RATE_VERIFY_UPLOAD), so
an operator can change them through the environment. A request over the limit gets the 429 page
(`rate_limited` below, through RatelimitMiddleware)."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import render

# django-ratelimit's own parsing of a rate ("30/m" → (30, 60)), so that the window announced is
# the one the limiter counts in.
from django_ratelimit.core import _split_rate
from django_ratelimit.decorators import ratelimit


def client_ip(request) -> str:
    """The client's address as django-axes determines it (honours AXES_PROXY_COUNT)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


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


def rate_limited(request, exception):
    """Too many costly requests in a short time (django-ratelimit): the 429 page, with a
    Retry-After of the longest window (the budget is whole again by then at the latest)."""
    response = render(request, "429.html", status=429)
    windows = (settings.BONTOT_RATE_DOCUMENTS, settings.BONTOT_RATE_VERIFY_UPLOAD)
    response["Retry-After"] = str(max(_split_rate(rate)[1] for rate in windows))
    return response

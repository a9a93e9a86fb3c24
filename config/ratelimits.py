"""Rate limits on the costly endpoints (django-ratelimit), counted in the default cache.

Rates come from settings at request time (BONTOT_RATE_DOCUMENTS, BONTOT_RATE_VERIFY_UPLOAD), so
an operator can change them through the environment. A request over the limit gets the 429 page
(config.views.rate_limited, through RatelimitMiddleware)."""

from axes.helpers import get_client_ip_address
from django.conf import settings
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

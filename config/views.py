"""Error pages that are not tied to one app."""

from django.shortcuts import render


def rate_limited(request, exception):
    """Too many costly requests in a short time (django-ratelimit): the 429 page."""
    return render(request, "429.html", status=429)

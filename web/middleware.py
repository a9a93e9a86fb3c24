import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese first: the interface is Vietnamese unless the user picked another language with
    the switcher (a cookie). The browser's Accept-Language is deliberately ignored — many office
    PCs run an English Windows for users who work in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ServerTimingMiddleware:
    """With BONTOT_SERVER_TIMING on, each response says how long the application took and how
    many cached figures it found or computed, in a Server-Timing header (shown by a browser's
    developer tools; read by the load test, benchmarking/locustfile.py, for the cache hit
    ratio). Off by default: it tells clients nothing they need."""

    def __init__(self, get_response):
        from django.core.exceptions import MiddlewareNotUsed

        if not settings.BONTOT_SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        from caching.figures import recording

        start = time.perf_counter()
        with recording() as outcomes:
            response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response.headers["Server-Timing"] = (
            f'app;dur={elapsed:.1f}, figures;desc="hit={outcomes["hit"]} miss={outcomes["miss"]}"'
        )
        return response

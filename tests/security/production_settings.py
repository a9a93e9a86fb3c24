"""The production settings (run with BONTOT_MODE=production), except that static files come
from the finders: the test server then needs no `collectstatic` run (a minute of compression)."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

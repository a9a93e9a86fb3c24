"""pytest settings: the real settings with a fast hasher, in-memory e-mail and a throwaway media dir."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("BONTOT_MODE", "test")

from config.settings import *  # noqa: E402,F403
from config.settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Through the environment, so processes the tests start (a worker, a render) share the directory.
os.environ.setdefault("BONTOT_MEDIA_ROOT", tempfile.mkdtemp(prefix="bontot-media-"))
MEDIA_ROOT = Path(os.environ["BONTOT_MEDIA_ROOT"])
TEST_ARTIFACTS_DIR = BASE_DIR / "test-artifacts"

# The rate-limit counters in a Redis database of their own, emptied before each test.
CACHES["ratelimit"]["LOCATION"] = os.environ.get(  # noqa: F405
    "RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/15"
)

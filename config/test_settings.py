"""pytest settings: the real settings with a fast hasher, in-memory e-mail and a throwaway media dir."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("BONTOT_MODE", "test")

from config.settings import *  # noqa: E402,F403
from config.settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "web.passwords.TemporaryPasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Through the environment, so processes the tests start (a worker, a render) share the directory.
# One per pytest-xdist worker: the workers inherit the controller's environment, and a shared
# folder let one worker's `prune` delete another's files, or a count of files see another's.
_xdist = os.environ.get("PYTEST_XDIST_WORKER")
if _xdist and os.environ.get("BONTOT_MEDIA_ROOT_WORKER") != _xdist:
    os.environ["BONTOT_MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"bontot-media-{_xdist}-")
    os.environ["BONTOT_MEDIA_ROOT_WORKER"] = _xdist
os.environ.setdefault("BONTOT_MEDIA_ROOT", tempfile.mkdtemp(prefix="bontot-media-"))
MEDIA_ROOT = Path(os.environ["BONTOT_MEDIA_ROOT"])
TEST_ARTIFACTS_DIR = BASE_DIR / "test-artifacts"

# The rate-limit counters in a Redis database of their own, emptied before each test: one per
# test worker (pytest-xdist's gw0, gw1 … take databases 15, 14 …, or count down from the one
# RATELIMIT_REDIS_URL names), since emptying a cache empties its whole database.
_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
_redis, _, _db = os.environ.get("RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/15").rpartition("/")
CACHES["ratelimit"]["LOCATION"] = f"{_redis}/{int(_db) - _worker}"  # noqa: F405

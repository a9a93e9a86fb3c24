"""pytest settings: the real settings with a fast hasher, in-memory e-mail and a throwaway media dir."""

import os
import tempfile

os.environ.setdefault("BONTOT_MODE", "test")

from config.settings import *  # noqa: E402,F403
from config.settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="bontot-media-")
TEST_ARTIFACTS_DIR = BASE_DIR / "test-artifacts"

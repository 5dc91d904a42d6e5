import os
import tempfile

os.environ.setdefault("JICHITAI_SECRET_KEY", "test-only-secret-key-that-is-at-least-fifty-characters-long")
os.environ.setdefault("JICHITAI_DATA_DIR", tempfile.mkdtemp(prefix="jichitai-test-"))

from jichitai.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Member evaluations run before the response: a test sees their result, and no thread outlives its transaction.
JICHITAI_BACKGROUND_THREADS = False

"""Test settings: the base module with fast hashing and in-memory mail.

DATABASE_URL chooses the database (SQLite by default; `make test` runs the suite again with
postgres://postgres@127.0.0.1:5432/ataa_test when PostgreSQL answers).
"""

import os
from pathlib import Path

os.environ.setdefault("ATAA_VAR_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test"))

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "ataa.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
ATAA_PRIVATE_ROOT = VAR_DIR / "private"
ATAA_SIGNING_KEY_DIR = VAR_DIR / "keys"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so worker subprocesses in the tests can open it; one per test run,
    # so parallel runs on one machine do not collide. ATAA_TEST_SQLITE_NAME lets a subprocess
    # started by a test open the same file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("ATAA_TEST_SQLITE_NAME")
        or str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }

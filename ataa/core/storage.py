"""Private files: stored through the storage API, never served at a public address.

Proofs of qualifications (and later other personal documents) go to the storage named
"private" in `settings.STORAGES`. Locally that is `PrivateFileSystemStorage`, a directory outside
MEDIA_ROOT (`ATAA_PRIVATE_ROOT`, by default `var/private/`) that no URL maps to: a file is read
only by a view that checks access first and streams it as an attachment. In production the
"private" storage can be a private bucket of an object store (docs/scaling.md).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible


@deconstructible(path="ataa.core.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage under ATAA_PRIVATE_ROOT with no URL: `url()` refuses."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)

    # Read from the settings each time (not cached), so a test may point it elsewhere.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ATAA_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address; serve them through a view.")


def private_storage():
    """The storage of private files (a callable, so migrations name it, not a path)."""
    return storages["private"]

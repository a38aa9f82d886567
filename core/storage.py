"""Files that must not be public: kept outside MEDIA_ROOT (or private in the bucket) and handed
out only by views that check who asks. Agreements' documents have their own storage
(agreements/storage.py); this one holds what members propose until staff approve it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT, read at each use; files have no public URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A private file has no public address; a view serves it.")


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # django-storages is the optional "s3" extra
    S3Storage = None

if S3Storage is not None:

    @deconstructible
    class S3PrivateStorage(S3Storage):
        default_acl = "private"
        querystring_auth = True
        location = "private"


def private_storage():
    return storages["private"]

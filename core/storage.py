"""Files that must not be public: kept outside MEDIA_ROOT (or private in the bucket) and handed
out only by views that check who asks. Agreements' documents have their own storage
(agreements/storage.py); this one holds what members propose until staff approve it.

The bulk downloads (portal/downloads.py) have a storage of their own too: the API serves them,
with their ETag, so they need no public address either.
"""

import os
import shutil
import tempfile

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


@deconstructible
class DownloadStorage(FileSystemStorage):
    """DOWNLOADS_ROOT, read at each use; files have no public URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.DOWNLOADS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A download has no address of its own; the API serves it.")

    def publish(self, name: str, source) -> None:
        """Put the open file `source` at `name` whole: written under a temporary name beside
        it, then moved over it, so a reader sees the old file or the new one, never half."""
        target = self.path(name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                source.seek(0)
                shutil.copyfileobj(source, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


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

    @deconstructible
    class S3DownloadStorage(S3Storage):
        """The bulk downloads in the media bucket, private: the API serves them."""

        default_acl = "private"
        querystring_auth = True
        location = "downloads"
        file_overwrite = True

        def publish(self, name: str, source) -> None:
            # An object is stored whole or not at all: a reader never sees half of one.
            source.seek(0)
            self.save(name, source)


def private_storage():
    return storages["private"]


def download_storage():
    return storages["downloads"]

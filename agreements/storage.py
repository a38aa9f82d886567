"""Where signed agreement documents are kept: never under MEDIA_URL.

Every document, public or not, is served by `agreements.views.agreement_document`, which
hands a public one to anyone and a non-public one to staff only.
"""

import os
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from django.utils.deconstruct import deconstructible


class DocumentUrlMixin:
    """A document's URL is the view that checks who asks, wherever the file is stored."""

    def url(self, name: str) -> str:
        return reverse(
            "agreements:agreement-document", kwargs={"filename": PurePosixPath(name).name}
        )


@deconstructible
class DocumentStorage(DocumentUrlMixin, FileSystemStorage):
    """The private folder, PRIVATE_MEDIA_ROOT."""

    # Read at each use (not cached as Django's are), so that a changed setting applies.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # django-storages is the optional "s3" extra
    S3Storage = None

if S3Storage is not None:

    @deconstructible
    class S3DocumentStorage(DocumentUrlMixin, S3Storage):
        """Private objects in the media bucket, read by the portal only."""

        default_acl = "private"
        querystring_auth = True
        location = "private"


def document_storage():
    return storages["documents"]

"""Deferred work of the portal run by the task worker (`manage.py db_worker`): rebuilding the
bulk downloads after records changed (portal/downloads.py)."""

import logging

from django_tasks import task

from . import downloads

logger = logging.getLogger(__name__)


@task()
def rebuild_downloads(*, changed_at: float) -> bool:
    """Rebuild every download file, unless a build begun since `changed_at` already saw the
    change (many requests queued while the cache was down cost one build, not many)."""
    if downloads.built_since(downloads.read_manifest(), changed_at):
        return False
    manifest = downloads.build_downloads()
    logger.info("Downloads rebuilt: %d files", len(manifest["files"]))
    return True

"""Deferred work of the portal run by the task worker (`manage.py db_worker`): rebuilding the
bulk downloads after records changed (portal/downloads.py), and recounting the figures and the
network (portal/aggregates.py)."""

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


@task()
def refresh_aggregates(*, changed_at: float) -> list[str]:
    """Recount the figures and the network stored before the change clock read `changed_at`;
    the keys recounted (none when a recount since already saw the change)."""
    from core import aggregates

    from . import aggregates as registered  # noqa: F401  (registers what is counted)

    done = aggregates.refresh(changed_at=changed_at)
    if done:
        logger.info("Aggregates recounted: %s", ", ".join(done))
    return done

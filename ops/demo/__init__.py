"""The demo dataset: facts from two news items about the association's 2025 World Conference
in Beijing and its 2026 Asia Pacific Division conference in Chiang Mai, as plain Python data
(`directory`, `events`) and the idempotent loader behind `manage.py load_demo` (`loader`)."""

from .loader import Summary, load_demo

__all__ = ["Summary", "load_demo"]

"""Settings for manage.py on a developer's machine: the base settings, DEBUG on by default.

The web server entry points (config/wsgi.py, config/asgi.py) use the base settings, which
refuse to start without a SECRET_KEY unless DEBUG is set. DEBUG=false here behaves the same.
"""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403

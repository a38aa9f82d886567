import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

# The URLconf (and with it every view, form and serializer module) is loaded on the first
# request otherwise: load it now, then move everything loaded so far out of the garbage
# collector's sight. Those objects live as long as the process; without this each full
# collection walks them all again (a few hundred thousand), during a request.
get_resolver().url_patterns  # noqa: B018 (loads the URLconf)
gc.freeze()

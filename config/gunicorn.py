"""Gunicorn settings for `make serve` and production: `gunicorn -c config/gunicorn.py config.wsgi`.

Each value can be set from the environment; the defaults suit one machine behind a proxy.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the pages and API are short database-bound requests.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows. Each restart costs a
# second of CPU to load the project: at a thousand requests a second, 2,000 requests per
# worker restarted one every few seconds (seen under `make bench`).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Logs to stdout/stderr, for the process manager or container runtime to collect.
accesslog = "-"
# Gunicorn's usual line, then the time taken (ms) and whether the page cache answered
# (X-Cache: hit, miss, or "-" when the answer was made for the caller alone).
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms cache=%({x-cache}o)s',
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy's address, whose X-Forwarded-* headers gunicorn may trust.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

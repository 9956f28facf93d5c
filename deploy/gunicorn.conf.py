"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

gunicorn sits behind nginx (deploy/nginx/portal.conf), which buffers requests and responses,
so plain sync workers are enough: a worker only ever talks to nginx over a local socket and is
never held by a slow client. Every number can be changed from the environment.
"""

import multiprocessing
import os

# systemd's portal-gunicorn.socket hands the socket over; without it, bind where told.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/portal/gunicorn.sock")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On reload or stop, workers get this long to finish the request they are serving.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 2
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# nginx already limits these; gunicorn's own limits are the second line.
limit_request_line = 8190
limit_request_fields = 100
# X-Forwarded-* are trusted from nginx on this machine only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# An empty GUNICORN_ACCESSLOG turns the access log off (nginx keeps one anyway).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "portal"

"""gunicorn's settings for the production image (`gunicorn config.wsgi -c config/gunicorn.py`)."""

import os

bind = "0.0.0.0:8000"
# A few synchronous workers per core; more web containers scale further (README: scaling out).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
graceful_timeout = 30
# Restart workers now and then, so that a slow leak never grows unbounded.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
# X-Forwarded-Proto is believed only from the HTTPS proxy's address (the variable compose sets;
# the app reads it too, for the client's address in X-Forwarded-For).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

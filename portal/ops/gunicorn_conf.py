"""Gunicorn settings for the production-style server started by `./run start`."""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60
# Load the portal once in the master (portal/wsgi.py also loads the search dictionary there):
# the workers share it instead of each spending seconds on its first search. Code changes
# need a restart, not a HUP.
preload_app = True
graceful_timeout = 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

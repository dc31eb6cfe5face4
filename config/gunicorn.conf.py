"""Production gunicorn: `gunicorn -c config/gunicorn.conf.py config.wsgi`, behind a TLS-terminating proxy.

Every value can be changed through a GUNICORN_* environment variable; the defaults suit a small host.
"""

import os
import sys
from pathlib import Path

from gunicorn import glogging

# gunicorn reads this file before it imports the application: make the project importable for the formats.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from config.logboek import FORMATTERS  # noqa: E402


def _env_int(naam, standaard):
    waarde = os.environ.get(naam, "").strip()
    return int(waarde) if waarde else standaard


def _env_bool(naam, standaard):
    waarde = os.environ.get(naam)
    if waarde is None:
        return standaard
    return waarde.strip().lower() in {"1", "true", "yes", "on", "ja"}


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Requests are short and mostly wait on PostgreSQL; signed PDFs are made by `db_worker`, not here. More processes
# than cores keep the CPU busy while one waits. Threads add a little overlap without more memory per process.
workers = _env_int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 2)

# With TAKEN_BACKEND=database no PDF is rendered in a request (db_worker makes them). With inline tasks (the
# demo) a concept PDF or monitoring report is (WeasyPrint, seconds on a busy host): the timeout must outlast it,
# or the worker is killed halfway and the user gets a 502.
timeout = _env_int("GUNICORN_TIMEOUT", 120)
# On SIGTERM a worker finishes what it is doing; a running PDF needs about as long as above.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 60)
# One queue for all workers: a worker accepts a connection only while one of its threads is free and closes it
# after the answer, so every request waits in the kernel's queue for the first free thread of any worker. A
# kept-alive connection stays with the worker that accepted it: under load some workers held many and their
# users waited seconds while others were idle (docs/PERFORMANCE.md, 2026-11-24: p95 2.1 s → 1.0 s with 50
# users without pauses, every user served alike). The proxy opens a connection per request anyway (nginx
# without `keepalive` in an upstream block, as in the README).
keepalive = _env_int("GUNICORN_KEEPALIVE", 0)
worker_connections = _env_int("GUNICORN_WORKER_CONNECTIONS", threads)

# WeasyPrint, fontTools and lxml grow a process and hardly give memory back: recycle workers now and then.
# The jitter keeps them from all restarting in the same minute.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# No preload: each worker imports the app itself, so nothing opened at import time (a database connection,
# fontconfig's cache) is shared across a fork, and a HUP picks up new code. A worker start costs about a second.
preload_app = _env_bool("GUNICORN_PRELOAD", False)

# The heartbeat file of each worker; on tmpfs a slow disk cannot make a healthy worker look dead.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Only the proxy may say the original request was https (X-Forwarded-Proto). Django trusts the same header
# (SECURE_PROXY_SSL_HEADER), so the proxy must set it, never pass on what a client sent.
forwarded_allow_ips = os.environ.get(
    "GUNICORN_FORWARDED_ALLOW_IPS", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
)

# The control socket defaults to one path in $HOME: a second server on the same host (tests, a benchmark)
# would take it over. Only where asked for, at its own path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Logs: one JSON object per line on stdout/stderr like Django's own (config/settings.py), so one collector
# rule reads both. The access line carries its fields separately instead of an Apache-style string.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "json")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(m)s %(U)s %(s)s %(M)sms'

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "tekst" if LOG_FORMAT == "tekst" else "json",
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "tekst" if LOG_FORMAT == "tekst" else "json",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


class Logger(glogging.Logger):
    """Access lines with method, path, status, duration and size as their own JSON fields."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atomen = self.atoms(resp, req, environ, request_time)
        velden = {
            "methode": atomen["m"],
            "pad": atomen["U"],
            "status": int(atomen["s"]) if str(atomen["s"]).isdigit() else atomen["s"],
            "duur_ms": atomen["M"],
            "bytes": atomen["B"],
            "client": atomen["h"],
        }
        try:
            # Query strings stay out: they can hold search terms; the path is enough to find a slow page.
            self.access_log.info(self.cfg.access_log_format, self.atoms_wrapper_class(atomen), extra=velden)
        except Exception:
            self.exception("Toegangsregel kon niet worden geschreven")


logger_class = Logger

"""The log line formats, shared by Django (config/settings.py) and gunicorn (config/gunicorn.conf.py).

One JSON object per line in production, so one collector rule reads the application's and the server's logs;
plain lines in the demo. The time carries its offset: gunicorn's master logs in UTC, Django in TIME_ZONE.
"""

FORMATTERS = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "{asctime}{levelname}{name}{message}",
        "style": "{",
        "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        "rename_fields": {"asctime": "tijd", "levelname": "niveau", "name": "logger", "message": "bericht"},
    },
    "tekst": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
}

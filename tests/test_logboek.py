"""Production logs are one JSON object per line; the demo keeps readable lines."""

import io
import json
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.utils.module_loading import import_string


def _json_regel(**extra):
    # The formatter built from the settings as dictConfig would, without reconfiguring the process's logging.
    instelling = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(instelling.pop("()"))(**instelling)
    uit = io.StringIO()
    handler = logging.StreamHandler(uit)
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.logboek")
    logger.addHandler(handler)
    try:
        logger.warning("Gegevens geladen: %s rijen", 12, extra=extra)
    finally:
        logger.removeHandler(handler)
    return uit.getvalue().strip()


def test_json_regel_met_tijd_niveau_logger_bericht_en_extra_velden():
    regel = json.loads(_json_regel(soort="woongemeente"))
    assert regel["niveau"] == "WARNING"
    assert regel["logger"] == "tests.logboek"
    assert regel["bericht"] == "Gegevens geladen: 12 rijen"
    assert regel["soort"] == "woongemeente"
    assert regel["tijd"]


def test_productie_logt_json_en_de_demo_tekst():
    def formaat(debug):
        omgeving = {**os.environ, "DJANGO_DEBUG": debug, "DJANGO_SECRET_KEY": "x" * 50,
                    "PUBLIEKE_URL": "https://voorbeeld.example.nl"}
        omgeving.pop("DJANGO_LOG_FORMAT", None)
        code = (
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.LOGGING['handlers']['console']['formatter'])"
        )
        return subprocess.run(
            [sys.executable, "-c", code], env={**omgeving, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
        ).stdout.strip()

    assert formaat("0") == "json"
    assert formaat("1") == "tekst"

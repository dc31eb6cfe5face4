"""The health endpoint /gezondheid/ for load balancers and monitoring.

It answers without log-in and without personal data: only whether the database answers and, when
tasks run in a separate worker (TAKEN_BACKEND=database), whether that worker keeps up with the queue.
"""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

OK, FOUT = "ok", "fout"


def controleer_database(verbinding=None):
    """A `SELECT 1` through the connection (default: the default database)."""
    verbinding = verbinding if verbinding is not None else connections[DEFAULT_DB_ALIAS]
    try:
        with verbinding.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:  # OperationalError is a DatabaseError
        # No exception text: it can name hosts and accounts.
        return {"status": FOUT, "reden": "De database antwoordt niet."}
    return {"status": OK}


def controleer_taken(nu=None):
    """Whether tasks get picked up. Inline tasks run in the request itself, so there is nothing to wait for."""
    backend = settings.TAKEN_BACKEND
    if backend != "database":
        return {"backend": backend, "status": OK}

    from django_tasks_db.models import DBTaskResult, get_date_max

    nu = nu or timezone.now()
    max_wachttijd = settings.GEZONDHEID_MAX_WACHTTIJD
    # A task with run_after in the future is not waiting yet; one whose run_after has passed waits
    # since that moment, not since it was enqueued.
    wacht_sinds = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("enqueued_at"), F("run_after")),
    )
    try:
        stand = DBTaskResult.objects.ready().aggregate(
            wachtend=Count("pk"), oudste=Min(wacht_sinds)
        )
    except DatabaseError:
        return {"backend": backend, "status": FOUT, "reden": "De takenwachtrij kan niet worden gelezen."}

    uitkomst = {
        "backend": backend,
        "status": OK,
        "wachtend": stand["wachtend"],
        "oudste_wachttijd_seconden": 0,
        "max_wachttijd_seconden": max_wachttijd,
    }
    if stand["oudste"] is not None:
        wachttijd = max(nu - stand["oudste"], timedelta(0))
        uitkomst["oudste_wachttijd_seconden"] = int(wachttijd.total_seconds())
        if wachttijd > timedelta(seconds=max_wachttijd):
            uitkomst["status"] = FOUT
            uitkomst["reden"] = (
                f"De oudste wachtende taak wacht al {int(wachttijd.total_seconds())} seconden "
                f"(meer dan {max_wachttijd}); er lijkt geen db_worker te draaien."
            )
    return uitkomst


def stand():
    database = controleer_database()
    # Without a database the queue cannot be read either; say so once instead of a second error.
    if database["status"] == OK:
        taken = controleer_taken()
    else:
        taken = {"backend": settings.TAKEN_BACKEND, "status": FOUT if settings.TAKEN_BACKEND == "database" else OK}
    geheel = OK if database["status"] == OK and taken["status"] == OK else FOUT
    return {"status": geheel, "database": database, "taken": taken}


@require_safe
def gezondheid(request):
    uitkomst = stand()
    antwoord = JsonResponse(uitkomst, status=200 if uitkomst["status"] == OK else 503)
    # A cached "ok" would hide an outage from the load balancer.
    antwoord["Cache-Control"] = "no-store"
    return antwoord

"""Background tasks (django-tasks): inline in the demo, a database queue and `db_worker` in production."""

from django_tasks import task


@task()
def maak_document(document_pk: int):
    from .ondertekening import maak_document as maak

    maak(document_pk)


@task()
def maak_afdruk(afdruk_pk: int):
    from .afdrukken import maak

    maak(afdruk_pk)

"""Pages for logged-in users, asked for without a session (never logged in, or the session ended).

A view raises `InloggenNodig`; the middleware answers with the log-in page and `next`, or, for htmx (an
autosave after the session ended), with 401 and the log-in address in `X-Inloggen`: the page keeps what was
typed and says that the user must log in again (static/js/sectie.js). A form posted without JavaScript is kept
in the (new, anonymous) session, which logging in carries over, so that the page can offer it again
(`bewaarde_invoer`). A logged-in user without the right still gets 404 from the view, so nothing leaks.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


class InloggenNodig(Exception):
    pass


def terug_naar(request):
    """Where to come back after logging in: the page itself, or for a save (htmx or a form post) the page the
    user was on."""
    if request.method in ("GET", "HEAD") and not request.htmx:
        return request.get_full_path()
    vandaan = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    if url_has_allowed_host_and_scheme(vandaan, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        delen = urlsplit(vandaan)
        return delen.path + (f"?{delen.query}" if delen.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


BEWAARD = "bewaarde_invoer"


def bewaarde_invoer(request, pad):
    """What was posted to `pad` while the session had ended (a QueryDict), once; None when nothing was."""
    bewaard = request.session.get(BEWAARD)
    if not bewaard or bewaard.get("pad") != pad:
        return None
    del request.session[BEWAARD]
    data = QueryDict(mutable=True)
    for naam, waarden in bewaard["data"].items():
        data.setlist(naam, waarden)
    return data


def _niet_ingelogd(request):
    terug = terug_naar(request)
    if not request.htmx:
        if request.method == "POST":
            velden = {naam: request.POST.getlist(naam) for naam in request.POST if naam != "csrfmiddlewaretoken"}
            request.session[BEWAARD] = {"pad": request.path, "data": velden}
        return redirect_to_login(terug)
    antwoord = HttpResponse(
        "Uw sessie is verlopen. Log opnieuw in; wat u had getypt staat nog op de pagina.",
        status=401, content_type="text/plain; charset=utf-8",
    )
    antwoord["X-Inloggen"] = redirect_to_login(terug).url
    return antwoord


class InloggenNodigMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        antwoord = self.get_response(request)
        # @login_required answers with a redirect to the log-in page: htmx would follow it and put the log-in
        # page where the section was.
        if (
            request.htmx
            and antwoord.status_code == 302
            and not request.user.is_authenticated
            and urlsplit(antwoord["Location"]).path == resolve_url(settings.LOGIN_URL)
        ):
            return _niet_ingelogd(request)
        return antwoord

    def process_exception(self, request, exception):
        if isinstance(exception, InloggenNodig):
            return _niet_ingelogd(request)
        return None

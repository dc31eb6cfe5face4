"""What every view of the API shares: read-only, Dutch pagination, and who may call it."""

from rest_framework import permissions
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import MethodNotAllowed

from .paginering import Paginering


class Alleenlezen:
    """Only GET, HEAD and OPTIONS. Any other method is 405 before authentication, so that a write is
    refused the same way for everyone (and never turns into a 403 for a missing CSRF token)."""

    pagination_class = Paginering

    def initial(self, request, *args, **kwargs):
        if request.method not in permissions.SAFE_METHODS:
            self.format_kwarg = self.get_format_suffix(**kwargs)
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class Openbaar(Alleenlezen):
    """Anyone: no session is read, so a public answer never depends on who asks."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]


class Besloten(Alleenlezen):
    """Logged-in users through their session (the web site's log-in). Anonymous: 403; not allowed: 404."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

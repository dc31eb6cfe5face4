"""Comparing two renderings of a page: what each response has of its own (the CSP nonce, the CSRF token in the
form and in htmx's headers) left out."""

import re

_TOKENS = re.compile(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"|"X-CSRFToken": "[^"]*"')


def zonder_tokens(html):
    return _TOKENS.sub("", html)

"""Make the session's unlocked data keys available as ``request.keyring``."""

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from kuzot.accounts.vault import VaultLocked, load_keyring, write_keyring_cookie


class VaultKeyringMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.keyring = SimpleLazyObject(lambda: load_keyring(request))
        response = self.get_response(request)
        write_keyring_cookie(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Keys lost (cookie gone, key rotated): log out, and say why instead of failing."""
        if not isinstance(exception, VaultLocked):
            return None
        logout(request)
        request._keyring_forget = True
        return render(request, "accounts/vault_locked.html", status=403)

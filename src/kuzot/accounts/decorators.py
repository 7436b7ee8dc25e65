from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


def staff_required(*roles: str) -> Callable:
    """Logged in (both factors), password not pending a change, and one of ``roles`` if given."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('login')}?next={request.path}")
            if user.must_change_password and request.resolver_match.url_name != "password_change":
                return redirect("password_change")
            if roles and user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

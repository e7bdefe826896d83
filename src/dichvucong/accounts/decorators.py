"""View decorators shared by every context's pages (the web layer of any app may use them)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import UserKind


def staff_required(view):
    """Signed-in staff only: anonymous users go to the login page, citizens get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.kind != UserKind.STAFF:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

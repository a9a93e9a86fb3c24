"""An account made with a temporary password goes to the password change page until it has
chosen its own (`User.must_change_password`, set by `member_accounts_create`)."""

from django.shortcuts import redirect
from django.urls import reverse

# What such an account may still reach: the change itself, logging out, and the static files.
ALLOWED = ("password_change", "logout")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
        ):
            allowed = [reverse(name) for name in ALLOWED]
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/")):
                return redirect(f"{reverse('password_change')}?first=1")
        return self.get_response(request)

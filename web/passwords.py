"""Password rules in the interface's language: Django's MinimumLengthValidator has no Vietnamese
translation of its message (a plural form Django's catalogue leaves out), so a staff member
setting a short password read English beside Vietnamese."""

from django.contrib.auth import hashers, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_help_text(self):
        return ngettext(
            "Mật khẩu cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


class TemporaryPasswordHasher(hashers.PBKDF2PasswordHasher):
    """The hash of a temporary password made by the system (members' accounts created in bulk):
    10 random characters (about 56 bits) that the member must replace at the first log-in, when
    Django re-hashes the password with the preferred (slow) hasher anyway. Such a secret does not
    need a hash made slow against guessing; a slow one made creating the accounts of a large
    branch take minutes (0,35 s each with Argon2 on the test machine)."""

    algorithm = "pbkdf2_sha256_temporary"
    iterations = 1000


def temporary_password_hash(password: str) -> str:
    return hashers.make_password(password, hasher=TemporaryPasswordHasher.algorithm)

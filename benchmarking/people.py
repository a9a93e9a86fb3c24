"""Who the benchmarks act as: an organization's account in a role, signed in as the test client
does (no password: the benchmarks measure pages, not Argon2)."""

from django.test import Client

from branches.models import Organization, RoleAssignment, User


def role_user(organization: Organization, role: str) -> User | None:
    """The first account holding `role` at `organization`, or None."""
    assignment = (
        RoleAssignment.objects.filter(organization=organization, role=role)
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else None


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

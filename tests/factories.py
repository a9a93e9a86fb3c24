"""factory_boy factories. Organizations go through the service so the tree stays valid."""

import datetime

import factory

from branches import services
from branches.models import Member, Organization, RoleAssignment, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Người Dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def administrator() -> User:
    """The system administrator (a superuser), who builds the test world through the services."""
    user, created = User.objects.get_or_create(
        username="quantri", defaults={"full_name": "Trương Văn Quân", "is_superuser": True}
    )
    return user


def staff() -> User:
    """The commune committee's staff member of the test world (`world.users["staff"]`)."""
    return User.objects.get(username="staff")


def make_org(
    parent: Organization | None, code: str, name: str, kind=Organization.Kind.BRANCH, **extra
) -> Organization:
    return services.organization_create(
        actor=administrator(),
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        place_name=extra.pop("place_name", "Quế Phú"),
        issuer_code=extra.pop("issuer_code", "ĐU"),
        **extra,
    )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"Trần Thị Đảng Viên {n}")
    gender = Member.Gender.FEMALE
    birth_date = datetime.date(1980, 1, 1)
    join_date = datetime.date(2005, 5, 19)
    official_date = datetime.date(2006, 5, 19)
    status = Member.Status.FULL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        branch = kwargs.pop("branch")
        return services.member_create(
            actor=administrator(), branch=branch, start_date=datetime.date(2015, 1, 1), **kwargs
        )


def give_role(user: User, organization: Organization, role: str) -> RoleAssignment:
    return services.role_assign(
        actor=administrator(), user=user, organization=organization, role=role
    )


def staff_of(organization: Organization) -> User:
    """A staff member of `organization` (made on first use)."""
    user = UserFactory(username=f"staff-{organization.code}", full_name="Lê Văn Văn Phòng")
    if not RoleAssignment.objects.filter(user=user, organization=organization).exists():
        give_role(user, organization, RoleAssignment.Role.STAFF)
    return user

"""Writes on organizations, members, positions, accounts and roles.

Every function checks that the actor may do it (PermissionDenied otherwise), validates before
saving, runs in one transaction, and leaves a history entry (django-simple-history) naming the
actor and the reason.
"""

import datetime
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason, label
from branches.models import Member, Membership, Organization, Position, RoleAssignment, User
from branches.permissions import Action, has_perm_anywhere, is_administrator, require_perm
from vietnamese.text import fold
from web.passwords import temporary_password_hash

_TREE_FIELDS = ["path", "depth", "numchild"]


@transaction.atomic
def organization_create(*, actor: User, parent: Organization | None, **fields) -> Organization:
    """Create an organization under `parent` (or, for a system administrator, as a root when
    parent is None)."""
    if parent is None:
        if not is_administrator(actor):
            raise PermissionDenied
    else:
        require_perm(actor, parent, Action.MANAGE_ORGANIZATIONS)
    organization = Organization(**fields)
    organization.validate_parent(parent)
    organization.full_clean(exclude=_TREE_FIELDS)
    tracked(organization, actor=actor, reason=gettext_noop("Tạo mới"))
    if parent is None:
        return Organization.objects.add_root(instance=organization)
    return Organization.objects.add_child(parent, instance=organization)


@transaction.atomic
def organization_update(
    *, actor: User, organization: Organization, parent: Organization | None = None, **fields
) -> Organization:
    """Change an organization's fields, and move it (with its subtree) when `parent` changes —
    only inside what the actor manages, the new parent included."""
    require_perm(actor, organization, Action.MANAGE_ORGANIZATIONS)
    for name, value in fields.items():
        setattr(organization, name, value)
    if "kind" in fields and organization.kind == Organization.Kind.BRANCH and organization.numchild:
        raise ValidationError(
            {"kind": _("Tổ chức đang có tổ chức trực thuộc nên không thể là chi bộ.")}
        )
    current_parent = Organization.objects.get_parent(organization)
    target_parent = parent if parent is not None else current_parent
    organization.validate_parent(target_parent)
    organization.full_clean(exclude=_TREE_FIELDS)
    moving = (
        target_parent is not None
        and current_parent is not None
        and target_parent.pk != current_parent.pk
    )
    if moving:
        require_perm(actor, current_parent, Action.MANAGE_ORGANIZATIONS)
        require_perm(actor, target_parent, Action.MANAGE_ORGANIZATIONS)
        # What refuses a move refuses it here as in a reorganization (a pledge being signed…).
        from branches.reorganization import move_problems

        problems = move_problems(organization, target_parent)
        if problems:
            raise ValidationError({"parent": problems})
        Organization.objects.move(organization, target_parent, "last-child")
        organization.path, organization.depth = Organization.objects.values_list(
            "path", "depth"
        ).get(pk=organization.pk)
        reason = Reason(
            gettext_noop("Chuyển từ %(old)s sang %(new)s"),
            old=current_parent.name,
            new=target_parent.name,
        )
    else:
        reason = gettext_noop("Sửa thông tin")
    tracked(organization, actor=actor, reason=reason)
    organization.save()
    return organization


@transaction.atomic
def organization_set_active(
    *, actor: User, organization: Organization, active: bool
) -> Organization:
    """Deactivate (or reactivate) an organization. Nothing is deleted.

    An organization still holding active members or active subordinate organizations cannot be
    deactivated: those must be moved or deactivated first, so nobody is left in a closed unit.
    """
    require_perm(actor, organization, Action.MANAGE_ORGANIZATIONS)
    if active and organization.successor_id:
        raise ValidationError(
            _("%(name)s đã hợp nhất vào %(successor)s; không thể mở lại hoạt động.")
            % {"name": organization.name, "successor": organization.successor.name}
        )
    if not active:
        active_children = (
            Organization.objects.get_descendants(organization).filter(is_active=True).count()
        )
        if active_children:
            raise ValidationError(
                _(
                    "Còn %(count)s tổ chức trực thuộc đang hoạt động; hãy ngừng hoặc chuyển chúng trước."
                )
                % {"count": active_children}
            )
        active_members = organization.members.filter(is_active=True).count()
        if active_members:
            raise ValidationError(
                _(
                    "Còn %(count)s đảng viên đang sinh hoạt; hãy chuyển sinh hoạt trước khi ngừng hoạt động."
                )
                % {"count": active_members}
            )
    organization.is_active = active
    tracked(
        organization,
        actor=actor,
        reason=gettext_noop("Hoạt động trở lại") if active else gettext_noop("Ngừng hoạt động"),
    )
    organization.save(update_fields=["is_active"])
    return organization


@transaction.atomic
def member_create(
    *, actor: User, branch: Organization, start_date: datetime.date | None = None, **fields
) -> Member:
    """Add a member to a branch; their membership there starts on `start_date` (default: today)."""
    require_perm(actor, branch, Action.MANAGE_MEMBERS)
    member = Member(branch=branch, **fields)
    member.full_clean()
    tracked(member, actor=actor, reason=gettext_noop("Tạo mới"))
    member.save()
    membership = Membership(
        member=member, branch=branch, start_date=start_date or timezone.localdate()
    )
    membership.full_clean()
    tracked(membership, actor=actor, reason=gettext_noop("Bắt đầu sinh hoạt"))
    membership.save()
    return member


@transaction.atomic
def member_update(*, actor: User, member: Member, **fields) -> Member:
    """Change a member's personal data (not the branch: that is a transfer)."""
    require_perm(actor, member.branch, Action.MANAGE_MEMBERS)
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    tracked(member, actor=actor, reason=gettext_noop("Sửa thông tin"))
    member.save()
    return member


def _close_membership(*, actor, member, date, reason, note) -> None:
    membership = member.memberships.select_for_update().filter(end_date__isnull=True).first()
    if membership is None:
        raise ValidationError(_("Đảng viên này hiện không sinh hoạt ở chi bộ nào."))
    if date < membership.start_date:
        raise ValidationError(
            {
                "date": _("Ngày này trước ngày bắt đầu sinh hoạt (%(start)s).")
                % {"start": membership.start_date.strftime("%d/%m/%Y")}
            }
        )
    membership.end_date = date
    membership.end_reason = reason
    membership.note = note
    tracked(membership, actor=actor, reason=label(Membership.EndReason(reason).label))
    membership.save(update_fields=["end_date", "end_reason", "note"])
    for position in member.positions.filter(end_date__isnull=True):
        position.end_date = max(date, position.start_date)
        tracked(position, actor=actor, reason=label(Membership.EndReason(reason).label))
        position.save(update_fields=["end_date"])


@transaction.atomic
def member_transfer(
    *, actor: User, member: Member, to_branch: Organization, date: datetime.date, note: str = ""
) -> Member:
    """Move a member to another branch: the old membership is closed, a new one opens."""
    member = Member.objects.select_for_update().select_related("branch").get(pk=member.pk)
    require_perm(actor, member.branch, Action.MANAGE_MEMBERS)
    require_perm(actor, to_branch, Action.MANAGE_MEMBERS)
    if not member.is_active:
        raise ValidationError(_("Đảng viên này đã thôi sinh hoạt."))
    if to_branch.kind != Organization.Kind.BRANCH:
        raise ValidationError({"to_branch": _("Chỉ chuyển sinh hoạt đến một chi bộ.")})
    if to_branch.pk == member.branch_id:
        raise ValidationError({"to_branch": _("Đảng viên đang sinh hoạt ở chi bộ này.")})
    _close_membership(
        actor=actor, member=member, date=date, reason=Membership.EndReason.TRANSFER, note=note
    )
    membership = Membership(member=member, branch=to_branch, start_date=date, note=note)
    membership.full_clean()
    tracked(membership, actor=actor, reason=gettext_noop("Chuyển đến"))
    membership.save()
    member.branch = to_branch
    tracked(
        member,
        actor=actor,
        reason=Reason(gettext_noop("Chuyển sinh hoạt đến %(branch)s"), branch=to_branch.name),
    )
    member.save(update_fields=["branch"])
    return member


@transaction.atomic
def member_leave(
    *, actor: User, member: Member, date: datetime.date, reason: str, note: str = ""
) -> Member:
    """End a member's membership (moved out of the system, deceased, struck off…). Deletes nothing."""
    member = Member.objects.select_for_update().select_related("branch").get(pk=member.pk)
    require_perm(actor, member.branch, Action.MANAGE_MEMBERS)
    if not member.is_active:
        raise ValidationError(_("Đảng viên này đã thôi sinh hoạt."))
    if reason not in Membership.EndReason.values:
        raise ValidationError({"reason": _("Lý do không hợp lệ.")})
    _close_membership(actor=actor, member=member, date=date, reason=reason, note=note)
    member.is_active = False
    tracked(member, actor=actor, reason=label(Membership.EndReason(reason).label))
    member.save(update_fields=["is_active"])
    return member


@transaction.atomic
def position_assign(
    *,
    actor: User,
    member: Member,
    organization: Organization,
    title: str,
    start_date: datetime.date,
) -> Position:
    """Give a member a position (bí thư, phó bí thư, cấp ủy viên) in an organization.

    A branch position goes to a member of that branch; a committee position to a member of a
    branch under it.
    """
    require_perm(actor, organization, Action.MANAGE_MEMBERS)
    if not member.is_active:
        raise ValidationError(_("Đảng viên này đã thôi sinh hoạt."))
    if not member.branch.path.startswith(organization.path):
        raise ValidationError({"member": _("Đảng viên không sinh hoạt trong tổ chức này.")})
    position = Position(
        member=member, organization=organization, title=title, start_date=start_date
    )
    position.full_clean()
    tracked(position, actor=actor, reason=gettext_noop("Bổ nhiệm"))
    position.save()
    return position


@transaction.atomic
def position_end(*, actor: User, position: Position, end_date: datetime.date) -> Position:
    """End a position held (kept in the member's record)."""
    require_perm(actor, position.organization, Action.MANAGE_MEMBERS)
    if position.end_date is not None:
        raise ValidationError(_("Chức vụ này đã kết thúc."))
    position.end_date = end_date
    position.full_clean()
    tracked(position, actor=actor, reason=gettext_noop("Kết thúc nhiệm vụ"))
    position.save(update_fields=["end_date"])
    return position


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    password: str | None,
    member: Member | None = None,
) -> User:
    """Create an account; without a password it cannot log in until reset by e-mail. Whoever may
    give roles somewhere may create accounts (to give them a role); an account linked to a
    member needs the right to manage that member."""
    if member is not None:
        require_perm(actor, member.branch, Action.MANAGE_MEMBERS)
    elif not has_perm_anywhere(actor, Action.MANAGE_ROLES):
        raise PermissionDenied
    user = User(username=username, full_name=full_name, email=email)
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    tracked(user, actor=actor, reason=gettext_noop("Tạo tài khoản"))
    user.save()
    if member is not None:
        if member.user_id:
            raise ValidationError({"member": _("Đảng viên này đã có tài khoản.")})
        member.user = user
        tracked(member, actor=actor, reason=gettext_noop("Gắn tài khoản"))
        member.save(update_fields=["user"])
    return user


@transaction.atomic
def role_assign(
    *, actor: User, user: User, organization: Organization, role: str
) -> RoleAssignment:
    """Give `user` a role on `organization` (reaching its subtree)."""
    require_perm(actor, organization, Action.MANAGE_ROLES)
    if role == RoleAssignment.Role.SECRETARY and not organization.is_branch:
        raise ValidationError({"role": _("Vai trò bí thư chi bộ chỉ gán ở một chi bộ.")})
    assignment = RoleAssignment(user=user, organization=organization, role=role, created_by=actor)
    assignment.full_clean()
    tracked(assignment, actor=actor, reason=gettext_noop("Phân quyền"))
    assignment.save()
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    """Take a role back. Nobody revokes their own (an office must not lock itself out)."""
    require_perm(actor, assignment.organization, Action.MANAGE_ROLES)
    if assignment.user_id == actor.pk:
        raise ValidationError(_("Không thể tự thu hồi quyền của chính mình."))
    tracked(assignment, actor=actor, reason=gettext_noop("Thu hồi quyền"))
    assignment.delete()


# A temporary password read aloud or off a printed list: no look-alike characters.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _temporary_password() -> str:
    while True:
        password = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _member_username(member: Member, taken: set[str]) -> str:
    """dv.<folded name>.<branch code's last part>, made unique with a number: readable on a
    printed list, typed on a phone without diacritics."""
    base = (
        "dv."
        + "".join(fold(member.full_name).split())
        + "."
        + member.branch.code.rsplit(".", 1)[-1].lower()
    )
    base = "".join(c for c in base if c.isascii() and (c.isalnum() or c in "._-"))[:140]
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}{n}"
    taken.add(username)
    return username


@transaction.atomic
def member_accounts_create(*, actor: User, branch: Organization) -> list[tuple[Member, User, str]]:
    """An account for every active member of the branch who has none (issue 17: members as
    users), each with a temporary password to change at the first log-in. Returned with the
    passwords, which are shown once and kept nowhere. The account carries no role: a member sees
    their own records only."""
    require_perm(actor, branch, Action.MANAGE_MEMBERS)
    if not branch.is_branch:
        raise ValidationError(_("Tài khoản đảng viên được tạo theo từng chi bộ."))
    return member_accounts_for(
        actor=actor, members=Member.objects.filter(branch=branch, is_active=True)
    )


@transaction.atomic
def member_accounts_for(*, actor: User, members) -> list[tuple[Member, User, str]]:
    """Accounts, with temporary passwords, for those of `members` who are active and have none
    (the members of a branch, or those a file has just imported). Refused whole unless the actor
    manages the members of every branch concerned."""
    given = list(
        Member.objects.select_for_update()
        .filter(pk__in=[m.pk for m in members])
        .select_related("branch")
        .order_by("branch__path", "sort_key", "pk")
    )
    for branch in {m.branch_id: m.branch for m in given}.values():
        require_perm(actor, branch, Action.MANAGE_MEMBERS)
    members = [m for m in given if m.is_active and m.user_id is None]
    taken = set(User.objects.filter(username__startswith="dv.").values_list("username", flat=True))
    created = []
    for member in members:
        password = _temporary_password()
        user = User(
            username=_member_username(member, taken),
            full_name=member.full_name,
            email="",
            must_change_password=True,
        )
        user.password = temporary_password_hash(password)
        user.full_clean(exclude=["password"])
        tracked(user, actor=actor, reason=gettext_noop("Tạo tài khoản đảng viên"))
        user.save()
        member.user = user
        tracked(member, actor=actor, reason=gettext_noop("Gắn tài khoản"))
        member.save(update_fields=["user"])
        created.append((member, user, password))
    return created

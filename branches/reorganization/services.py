"""The services of a reorganization: the preview, and the change carried out in one transaction
when it is still what the preview showed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason, label
from branches import services, terms
from branches.models import Member, Membership, Organization, Reorganization, RoleAssignment, User
from branches.reorganization.change import (
    HANDLERS,
    RENAMED_FIELDS,
    Change,
    Kind,
    Preview,
    Question,
    day_text,
)
from branches.reorganization.checks import (
    carried_roles,
    core_lines,
    core_problems,
    open_positions,
    scope_problems,
)
from partydocs.models import CongressTerm
from partydocs.numbering import term_of

# ---------------------------------------------------------------------------------------------
# The services


def questions_for(change: Change) -> list[Question]:
    """The choices the apps leave to the user for this change."""
    return [question for handler in HANDLERS for question in handler.questions(change)]


def reorganization_preview(*, actor: User, change: Change) -> Preview:
    """What the change would do, line by line, and the reasons it is refused (if any). Writes
    nothing. The actor must manage every organization it touches."""
    problems = scope_problems(actor, change)
    problems += core_problems(change)
    if problems:
        return Preview(lines=[], problems=problems)
    for handler in HANDLERS:
        problems += handler.problems(change)
    lines = core_lines(change)
    for handler in HANDLERS:
        lines += handler.lines(change)
    return Preview(lines=[] if problems else lines, problems=problems)


def _refresh(change: Change) -> None:
    """Lock the organizations of the change and read them again (inside the transaction)."""
    ids = [o.pk for o in change.involved()]
    fresh = {o.pk: o for o in Organization.objects.select_for_update().filter(pk__in=ids)}
    change.sources = [fresh[o.pk] for o in change.sources]
    if change.target is not None:
        change.target = fresh[change.target.pk]
    if change.parent is not None:
        change.parent = fresh[change.parent.pk]
    change.split_into = [fresh[o.pk] for o in change.split_into]
    for new in change.new:
        new.parent = fresh[new.parent.pk]


@transaction.atomic
def reorganization_carry_out(*, actor: User, change: Change, fingerprint: str) -> Reorganization:
    """Carry out the change previewed with `fingerprint`, in one transaction: refused (nothing
    changed) if it is refused now or if what it would do is no longer what was shown."""
    _refresh(change)
    preview = reorganization_preview(actor=actor, change=change)
    if not preview.ok:
        raise ValidationError(preview.problems)
    if preview.fingerprint != fingerprint:
        raise ValidationError(
            _("Dữ liệu đã thay đổi từ lúc xem trước; chưa thay đổi gì. Hãy xem trước lại.")
        )
    reason = Reason(
        gettext_noop("%(kind)s theo %(decision)s, từ ngày %(date)s"),
        kind=label(Kind(change.kind).label),
        decision=change.decision,
        date=day_text(change.effective_date),
    )
    if change.kind == Kind.RENAME:
        _rename(change, actor, reason)
    elif change.kind == Kind.MOVE:
        _move(change.source, change.parent, actor, reason)
    else:
        _found(change, actor)
        _end_sources(change, actor, reason)
    for handler in HANDLERS:
        handler.apply(change, actor)
    record = Reorganization(
        kind=change.kind,
        effective_date=change.effective_date,
        decision=change.decision.strip(),
        reason=change.reason.strip(),
        summary=[line.stored() for line in preview.lines],
        fingerprint=fingerprint,
        performed_by=actor,
    )
    record.full_clean()
    tracked(record, actor=actor, reason=reason)
    record.save()
    record.sources.set(change.sources)
    record.targets.set(change.targets or ([change.parent] if change.parent else change.sources))
    return record


def _fresh(organization: Organization) -> Organization:
    return Organization.objects.get(pk=organization.pk)


def _move(organization: Organization, parent: Organization, actor: User, reason) -> Organization:
    organization = _fresh(organization)
    Organization.objects.move(organization, _fresh(parent), "last-child")
    organization = _fresh(organization)
    tracked(organization, actor=actor, reason=reason)
    organization.save()
    return organization


def _rename(change: Change, actor: User, reason) -> None:
    organization = _fresh(change.source)
    for name in RENAMED_FIELDS:
        if name in change.names:
            setattr(organization, name, change.names[name])
    organization.full_clean(exclude=["path", "depth", "numchild"])
    tracked(organization, actor=actor, reason=reason)
    organization.save()


def _found(change: Change, actor: User) -> None:
    """Found the new organizations, each numbering its documents from its founding."""
    for new in change.new:
        organization = services.organization_create(
            actor=actor, parent=_fresh(new.parent), **new.fields()
        )
        change.made.append(organization)
        if not organization.is_branch:
            terms.congress_term_add(
                actor=actor,
                organization=organization,
                origin=CongressTerm.Origin.FOUNDING,
                start_date=change.effective_date,
                label=term_of(change.effective_date),
            )


def _end_sources(change: Change, actor: User, reason) -> None:
    """Children and members to their destinations, positions ended, roles carried, and each
    source inactive — under its successor after a merge."""
    day = change.effective_date
    targets = change.targets
    for source in change.sources:
        for child in change.children(source):
            _move(child, change.destination(source, f"o{child.pk}"), actor, reason)
        for member in change.members(source):
            destination = change.destination(source, f"m{member.pk}")
            _transfer(member, destination, day, actor, reason)
            change.moved[member.pk] = destination
        for position in open_positions(source):
            position.end_date = max(day, position.start_date)
            tracked(position, actor=actor, reason=reason)
            position.save(update_fields=["end_date"])
    for role, index in carried_roles(change):
        if index is None:
            continue
        target = targets[index]
        if not RoleAssignment.objects.filter(
            user=role.user, organization=target, role=role.role
        ).exists():
            assignment = RoleAssignment(
                user=role.user, organization=target, role=role.role, created_by=actor
            )
            tracked(assignment, actor=actor, reason=reason)
            assignment.save()
    for source in change.sources:
        source = _fresh(source)
        source.is_active = False
        if change.kind == Kind.MERGE:
            source.successor = targets[0]
        tracked(source, actor=actor, reason=reason)
        source.save(update_fields=["is_active", "successor"])
        if change.kind == Kind.MERGE:
            _move(source, targets[0], actor, reason)


def _transfer(member: Member, branch: Organization, day, actor: User, reason) -> None:
    membership = member.memberships.select_for_update().filter(end_date__isnull=True).first()
    start = day
    if membership is not None:
        membership.end_date = max(day, membership.start_date)
        membership.end_reason = Membership.EndReason.REORGANIZED
        start = membership.end_date
        tracked(membership, actor=actor, reason=reason)
        membership.save(update_fields=["end_date", "end_reason"])
    opened = Membership(member=member, branch=branch, start_date=start)
    tracked(opened, actor=actor, reason=reason)
    opened.save()
    member.branch = branch
    tracked(member, actor=actor, reason=reason)
    member.save(update_fields=["branch"])


def move_problems(organization: Organization, parent: Organization) -> list[str]:
    """What refuses moving an organization under another (the organization's edit page asks the
    same as a reorganization): the apps' refusals, such as a branch with a pledge being signed."""
    change = Change(
        kind=Kind.MOVE,
        sources=[organization],
        effective_date=timezone.localdate(),
        decision="—",
        parent=parent,
    )
    problems = []
    for handler in HANDLERS:
        problems += handler.problems(change)
    return problems

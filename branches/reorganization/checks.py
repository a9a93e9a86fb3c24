"""What refuses a reorganization, and the lines of its preview for the tree itself: organizations,
members, positions, roles and terms (the apps' own lines come from their handlers)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.reasons import label
from branches.models import Member, Organization, Position, RoleAssignment, User
from branches.permissions import Action, has_perm
from branches.reorganization.change import (
    MEMBERS,
    ORGANIZATIONS,
    POSITIONS,
    RENAMED_FIELDS,
    ROLES,
    TERMS,
    Change,
    Kind,
    Line,
    NewOrganization,
    Role,
    day_text,
    make_line,
)
from partydocs.models import CongressTerm
from partydocs.numbering import term_of

# ---------------------------------------------------------------------------------------------
# Refusals


def scope_problems(actor: User, change: Change) -> list[str]:
    """Refuse with a message what the actor does not hold; an outsider to all of it is refused
    outright (PermissionDenied), before anything is looked at."""
    involved = change.involved()
    held = [o for o in involved if has_perm(actor, o, Action.MANAGE_ORGANIZATIONS)]
    if not held:
        raise PermissionDenied
    missing = []
    for organization in involved:
        if organization not in held and organization.name not in missing:
            missing.append(organization.name)
    if missing:
        return [
            _(
                "Bạn không quản lý %(names)s: việc sắp xếp này cần quyền quản lý mọi tổ chức "
                "liên quan (và cấp trên của chúng)."
            )
            % {"names": ", ".join(missing)}
        ]
    return []


def _family(organization) -> bool:
    return organization.kind == Organization.Kind.BRANCH


def _new_problems(new: NewOrganization) -> list[str]:
    probe = Organization(**new.fields())
    problems = []
    try:
        probe.validate_parent(new.parent)
        probe.full_clean(exclude=["path", "depth", "numchild", "search_key", "successor"])
    except ValidationError as error:
        for messages in error.message_dict.values():
            problems += [f"{new.name or new.code}: {m}" for m in messages]
    if not new.parent.is_active:
        problems.append(
            _("%(parent)s đã ngừng hoạt động; không thể thành lập tổ chức trực thuộc.")
            % {"parent": new.parent.name}
        )
    return problems


def _fits_under(organization: Organization, parent_kind: str, parent_name: str) -> list[str]:
    probe = Organization(kind=organization.kind)
    try:
        probe.validate_parent(Organization(kind=parent_kind, path="0001"))
    except ValidationError as error:
        return [
            _("%(name)s không thể chuyển vào %(target)s: %(why)s")
            % {"name": organization.name, "target": parent_name, "why": " ".join(messages)}
            for messages in error.message_dict.values()
        ]
    return []


def core_problems(change: Change) -> list[str]:
    problems = []
    if not change.decision.strip():
        problems.append(_("Hãy ghi quyết định sắp xếp (số, ngày, cơ quan ban hành)."))
    if change.effective_date > timezone.localdate():
        problems.append(_("Ngày có hiệu lực không thể sau hôm nay."))
    if not change.sources or len({o.pk for o in change.sources}) != len(change.sources):
        problems.append(_("Hãy chọn các tổ chức cần sắp xếp, mỗi tổ chức một lần."))
        return problems
    for source in change.sources:
        if not source.is_active:
            problems.append(_("%(name)s đã ngừng hoạt động.") % {"name": source.name})
        for other in change.sources:
            if other != source and other.path.startswith(source.path):
                problems.append(
                    _("%(inner)s thuộc %(outer)s: chỉ chọn tổ chức cấp trên.")
                    % {"inner": other.name, "outer": source.name}
                )
    if change.kind == Kind.MERGE:
        problems += _merge_problems(change)
    elif change.kind == Kind.SPLIT:
        problems += _split_problems(change)
    elif change.kind == Kind.MOVE:
        problems += _move_problems(change)
    elif change.kind == Kind.RENAME:
        problems += _rename_problems(change)
    return problems


def _cycle(source: Organization, target_path: str) -> bool:
    return target_path.startswith(source.path)


def _merge_problems(change: Change) -> list[str]:
    problems = []
    if (change.target is None) == (not change.new):
        return [_("Hãy chọn tổ chức nhận hợp nhất, hoặc khai báo tổ chức mới.")]
    if change.target is None and len(change.sources) < 2:
        problems.append(_("Hợp nhất thành tổ chức mới cần ít nhất hai tổ chức."))
    if change.target is not None:
        target, target_kind, target_name = change.target, change.target.kind, change.target.name
        if not target.is_active:
            problems.append(_("%(name)s đã ngừng hoạt động.") % {"name": target.name})
        if target in change.sources:
            problems.append(
                _("%(name)s không thể vừa là tổ chức bị hợp nhất vừa là tổ chức nhận.")
                % {"name": target.name}
            )
        for source in change.sources:
            if source != target and _cycle(source, target.path):
                problems.append(
                    _(
                        "%(target)s thuộc %(source)s: hợp nhất %(source)s vào nó sẽ tạo vòng "
                        "lặp cấp trên–cấp dưới."
                    )
                    % {"target": target.name, "source": source.name}
                )
    else:
        new = change.new[0]
        target_kind, target_name = new.kind, new.name
        problems += _new_problems(new)
        for source in change.sources:
            if _cycle(source, new.parent.path):
                problems.append(
                    _(
                        "%(parent)s thuộc %(source)s: tổ chức mới không thể trực thuộc một tổ "
                        "chức sẽ bị hợp nhất."
                    )
                    % {"parent": new.parent.name, "source": source.name}
                )
    target_is_branch = target_kind == Organization.Kind.BRANCH
    for source in change.sources:
        if _family(source) != target_is_branch:
            problems.append(
                _("Chỉ hợp nhất chi bộ với chi bộ, đảng bộ với đảng bộ (%(name)s).")
                % {"name": source.name}
            )
            continue
        for child in change.children(source):
            problems += _fits_under(child, target_kind, target_name)
    return problems


def _split_problems(change: Change) -> list[str]:
    problems = []
    if len(change.sources) != 1:
        return [_("Chia tách từng tổ chức một.")]
    source = change.source
    count = len(change.split_into) + len(change.new)
    if count < 2:
        problems.append(_("Chia tách cần ít nhất hai tổ chức sau chia tách."))
    for new in change.new:
        problems += _new_problems(new)
        if _cycle(source, new.parent.path):
            problems.append(
                _("%(parent)s thuộc %(source)s: tổ chức mới không thể trực thuộc nó.")
                % {"parent": new.parent.name, "source": source.name}
            )
    kinds = [o.kind for o in change.split_into] + [n.kind for n in change.new]
    names = change.target_names()
    for target in change.split_into:
        if target == source or _cycle(source, target.path):
            problems.append(
                _("%(name)s thuộc %(source)s, không thể nhận phần chia tách.")
                % {"name": target.name, "source": source.name}
            )
        if not target.is_active:
            problems.append(_("%(name)s đã ngừng hoạt động.") % {"name": target.name})
    for kind, name in zip(kinds, names, strict=True):
        if (kind == Organization.Kind.BRANCH) != source.is_branch:
            problems.append(
                _("%(name)s: chi bộ chỉ tách thành chi bộ, đảng bộ thành đảng bộ.") % {"name": name}
            )
    if count < 2:
        return problems
    for child in change.children(source):
        index = change.target_index_of(f"o{child.pk}")
        if not 0 <= index < count:
            problems.append(_("Hãy chọn nơi chuyển đến cho %(name)s.") % {"name": child.name})
            continue
        problems += _fits_under(child, kinds[index], names[index])
    for member in change.members(source):
        if not 0 <= change.target_index_of(f"m{member.pk}") < count:
            problems.append(
                _("Hãy chọn chi bộ chuyển đến cho đảng viên %(name)s.") % {"name": member.full_name}
            )
    return problems


def _move_problems(change: Change) -> list[str]:
    if len(change.sources) != 1 or change.parent is None:
        return [_("Hãy chọn tổ chức cấp trên mới.")]
    source, parent = change.source, change.parent
    if parent.path == source.parent_path:
        return [
            _("%(name)s đang trực thuộc %(parent)s.") % {"name": source.name, "parent": parent.name}
        ]
    if not parent.is_active:
        return [_("%(name)s đã ngừng hoạt động.") % {"name": parent.name}]
    try:
        source.validate_parent(parent)
    except ValidationError as error:
        return [m for messages in error.message_dict.values() for m in messages]
    return []


def _rename_problems(change: Change) -> list[str]:
    source = change.source
    if not (change.names.get("name") or "").strip():
        return [_("Hãy ghi tên mới.")]
    if all(change.names.get(f, getattr(source, f)) == getattr(source, f) for f in RENAMED_FIELDS):
        return [_("Tên và các thông tin văn bản không thay đổi.")]
    probe = Organization(**{**{f: getattr(source, f) for f in RENAMED_FIELDS}, **change.names})
    try:
        probe.clean_fields(
            exclude=[f.name for f in Organization._meta.fields if f.name not in RENAMED_FIELDS]
        )
    except ValidationError as error:
        return [m for messages in error.message_dict.values() for m in messages]
    return []


# ---------------------------------------------------------------------------------------------
# Lines


def core_lines(change: Change) -> list[Line]:
    date = day_text(change.effective_date)
    if change.kind == Kind.RENAME:
        return _rename_lines(change, date)
    if change.kind == Kind.MOVE:
        source = change.source
        below = Organization.objects.filter(path__startswith=source.path).exclude(pk=source.pk)
        count = Member.objects.filter(branch__path__startswith=source.path, is_active=True).count()
        old = Organization.objects.get_parent(source)
        return [
            make_line(
                ORGANIZATIONS,
                gettext_noop(
                    "%(name)s (cùng %(below)s tổ chức trực thuộc và %(members)s đảng viên) "
                    "chuyển từ %(old)s sang %(new)s từ ngày %(date)s."
                ),
                name=source.name,
                below=below.count(),
                members=count,
                old=old.name if old else "—",
                new=change.parent.name,
                date=date,
            )
        ]
    lines = []
    for new in change.new:
        lines.append(
            make_line(
                ORGANIZATIONS,
                gettext_noop("Thành lập %(name)s (%(kind)s, mã %(code)s) trực thuộc %(parent)s."),
                name=new.name,
                kind=label(Organization.Kind(new.kind).label),
                code=new.code,
                parent=new.parent.name,
            )
        )
    names = change.target_names()
    for source in change.sources:
        if change.kind == Kind.MERGE:
            lines.append(
                make_line(
                    ORGANIZATIONS,
                    gettext_noop(
                        "%(name)s ngừng hoạt động từ ngày %(date)s, được giữ lại với toàn bộ hồ "
                        "sơ trong %(target)s (tổ chức kế thừa)."
                    ),
                    name=source.name,
                    date=date,
                    target=names[0],
                )
            )
        else:
            lines.append(
                make_line(
                    ORGANIZATIONS,
                    gettext_noop(
                        "%(name)s ngừng hoạt động từ ngày %(date)s, được giữ lại với toàn bộ hồ "
                        "sơ; chia tách thành %(targets)s."
                    ),
                    name=source.name,
                    date=date,
                    targets=", ".join(names),
                )
            )
        for child in change.children(source):
            lines.append(
                make_line(
                    ORGANIZATIONS,
                    gettext_noop("%(name)s chuyển từ %(old)s sang %(new)s."),
                    name=child.name,
                    old=source.name,
                    new=change.destination_name(f"o{child.pk}"),
                )
            )
        by_destination: dict[str, list[str]] = {}
        for member in change.members(source):
            by_destination.setdefault(change.destination_name(f"m{member.pk}"), []).append(
                member.full_name
            )
        for destination, people in by_destination.items():
            lines.append(
                make_line(
                    MEMBERS,
                    gettext_noop(
                        "%(count)s đảng viên chuyển sinh hoạt từ %(old)s sang %(new)s từ ngày "
                        "%(date)s: %(names)s."
                    ),
                    count=len(people),
                    old=source.name,
                    new=destination,
                    date=date,
                    names=", ".join(people),
                )
            )
        for position in open_positions(source):
            lines.append(
                make_line(
                    POSITIONS,
                    gettext_noop(
                        "%(member)s thôi giữ chức %(title)s của %(org)s từ ngày %(date)s (giữ "
                        "trong quá trình công tác)."
                    ),
                    member=position.member.full_name,
                    title=label(position.get_title_display()),
                    org=source.name,
                    date=date,
                )
            )
    lines += _role_lines(change)
    lines += _term_lines(change, date)
    return lines


def _rename_lines(change: Change, date: str) -> list[Line]:
    source = change.source
    lines = []
    for name in RENAMED_FIELDS:
        new = change.names.get(name, getattr(source, name))
        if new != getattr(source, name):
            lines.append(
                make_line(
                    ORGANIZATIONS,
                    gettext_noop("%(field)s: “%(old)s” thành “%(new)s” từ ngày %(date)s."),
                    field=label(Organization._meta.get_field(name).verbose_name),
                    old=getattr(source, name) or "—",
                    new=new or "—",
                    date=date,
                )
            )
    lines.append(
        make_line(
            TERMS,
            gettext_noop(
                "Văn bản đã ban hành giữ số và tên cơ quan ban hành như khi ban hành; tên cũ còn "
                "trong lịch sử của tổ chức."
            ),
        )
    )
    return lines


def open_positions(source: Organization):
    return (
        Position.objects.filter(organization=source, end_date__isnull=True)
        .select_related("member", "organization")
        .order_by("title", "member__sort_key")
    )


def carried_roles(change: Change) -> list[tuple[RoleAssignment, int | None]]:
    """(role on a source, index of the target it is carried to or None when it is not): staff,
    leaders and officials go with their organization to every target; a branch secretary's role
    only where the merged branch would have one secretary account."""
    roles = list(
        RoleAssignment.objects.filter(organization__in=change.sources)
        .select_related("user", "organization")
        .order_by("organization__path", "role", "user__username")
    )
    count = len(change.target_names())
    existing_secretary = (
        change.kind == Kind.MERGE
        and change.target is not None
        and RoleAssignment.objects.filter(organization=change.target, role=Role.SECRETARY).exists()
    )
    secretaries = [r for r in roles if r.role == Role.SECRETARY]
    carried = []
    for role in roles:
        if role.role == Role.SECRETARY and (
            change.kind != Kind.MERGE or existing_secretary or len(secretaries) > 1
        ):
            carried.append((role, None))
            continue
        carried += [(role, index) for index in range(count)]
    return carried


def _role_lines(change: Change) -> list[Line]:
    names = change.target_names()
    lines = []
    for role, index in carried_roles(change):
        if index is None:
            lines.append(
                make_line(
                    ROLES,
                    gettext_noop(
                        "%(user)s (%(role)s của %(org)s) không được chuyển: hãy phân quyền bí thư "
                        "cho tổ chức sau sắp xếp."
                    ),
                    user=role.user.full_name or role.user.username,
                    role=label(role.get_role_display()),
                    org=role.organization.name,
                )
            )
        else:
            lines.append(
                make_line(
                    ROLES,
                    gettext_noop("%(user)s: %(role)s của %(org)s, nay tại %(target)s."),
                    user=role.user.full_name or role.user.username,
                    role=label(role.get_role_display()),
                    org=role.organization.name,
                    target=names[index],
                )
            )
    return lines


def _term_lines(change: Change, date: str) -> list[Line]:
    lines = []
    for new in change.new:
        if new.kind == Organization.Kind.BRANCH:
            continue
        lines.append(
            make_line(
                TERMS,
                gettext_noop(
                    "%(name)s đánh số văn bản từ 01 kể từ ngày thành lập %(date)s (nhiệm kỳ "
                    "%(label)s), cho đến đại hội."
                ),
                name=new.name,
                date=date,
                label=term_of(change.effective_date),
            )
        )
    for source in change.sources:
        if CongressTerm.objects.filter(organization=source).exists() or not source.is_branch:
            lines.append(
                make_line(
                    TERMS,
                    gettext_noop(
                        "Văn bản %(name)s đã ban hành giữ nguyên số, nhiệm kỳ và cơ quan ban hành."
                    ),
                    name=source.name,
                )
            )
    return lines

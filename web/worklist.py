"""The work queue ("Việc cần làm"): what each person has to do, gathered from the apps.

A kind of item is one function registered for the roles that do it:

    @worklist.provider(Role.LEADER)
    def pledges_to_countersign(user) -> Iterable[WorkItem]:
        ...

It receives the user and returns the items of that kind the user's roles reach (a selector: it
reads, it never writes). The apps' `worklist` modules are imported when Django starts
(`WebConfig.ready`), so registering is all an app does; the queue page, the start page and the
count in the navigation show whatever is registered. A member's own account, which holds no role,
is the role `MEMBER` here.

This module is on the shared floor: it knows nothing of the domain — roles are plain strings."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MEMBER = "member"


@dataclass(frozen=True)
class Action:
    """A one-click step offered beside an item: a link, or a form posted at once (`fields`)."""

    label: str
    url: str
    fields: tuple[tuple[str, str], ...] = ()  # set: a POST with these hidden fields

    @property
    def is_post(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. `url` is where it is done (the "open" action); `key` names it for a bulk
    action (e.g. the reminders of the checked items)."""

    group: str  # the heading it is listed under: "Bản cam kết chờ ký xác nhận"
    title: str  # what, for whom: "Chi bộ thôn Phú Lộc — ký lần 2"
    url: str
    organization: str = ""  # the organization the work is about
    year: int | None = None
    deadline: datetime.date | None = None
    overdue: bool = False
    note: str = ""  # the reason of a return, an extension granted, who can extend
    actions: tuple[Action, ...] = ()
    key: str = ""  # for bulk actions (a reminder's plan:organization:kind:year)
    order: int = 50  # groups are shown by this, then items by deadline

    @property
    def sort_key(self) -> tuple:
        return (
            not self.overdue,
            self.deadline or datetime.date.max,
            self.organization,
            self.title,
        )


Provider = Callable[[object], Iterable[WorkItem]]
_providers: dict[str, list[Provider]] = defaultdict(list)


def provider(*roles: str) -> Callable[[Provider], Provider]:
    """Register a function giving the items of one kind for users holding one of `roles`."""

    def register(function: Provider) -> Provider:
        for role in roles:
            if function not in _providers[role]:
                _providers[role].append(function)
        return function

    return register


def providers_for(roles: Iterable[str]) -> list[Provider]:
    """Each function registered for any of `roles`, once."""
    found: list[Provider] = []
    for role in sorted(set(roles)):
        for function in _providers.get(role, ()):
            if function not in found:
                found.append(function)
    return found


@dataclass
class Group:
    title: str
    order: int
    items: list[WorkItem] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def collect(user, roles: Iterable[str]) -> list[Group]:
    """Every item for the user, in groups (by their order, then title), overdue first."""
    groups: dict[str, Group] = {}
    for function in providers_for(roles):
        for item in function(user):
            group = groups.setdefault(item.group, Group(item.group, item.order))
            group.items.append(item)
    for group in groups.values():
        group.items.sort(key=lambda item: item.sort_key)
    return sorted(groups.values(), key=lambda g: (g.order, g.title))

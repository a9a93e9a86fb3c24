"""What a reorganization is made of (branches.reorganization): the change the user asks for, the
lines of its preview with their fingerprint, and the handlers through which the apps above say how
their records follow."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.reasons import Reason, describe, encode
from branches.models import Member, Organization, Reorganization, RoleAssignment, User
from vietnamese.dates import short_date

Kind = Reorganization.Kind
Role = RoleAssignment.Role

# The sections of a preview, in the order they are shown.
ORGANIZATIONS = gettext_noop("Tổ chức")
MEMBERS = gettext_noop("Đảng viên")
POSITIONS = gettext_noop("Chức vụ")
ROLES = gettext_noop("Phân quyền")
TERMS = gettext_noop("Nhiệm kỳ và số văn bản")
PLANS = gettext_noop("Kế hoạch")
REGISTRATIONS = gettext_noop("Đăng ký và bản cam kết")
YEAR = gettext_noop("Sinh hoạt, đánh giá, xếp loại")
SIGNED = gettext_noop("Văn bản đã ký (giữ nguyên, vẫn xác minh được)")
SECTIONS = [ORGANIZATIONS, MEMBERS, POSITIONS, ROLES, TERMS, PLANS, REGISTRATIONS, YEAR, SIGNED]

RENAMED_FIELDS = ["name", "short_name", "document_name", "issuer_code", "place_name"]


@dataclass(frozen=True)
class Line:
    """One line of a preview: its section and what it says (kept language-independent)."""

    section: str
    reason: Reason

    def stored(self) -> dict:
        return {"s": self.section, "r": self.reason.as_data()}

    @property
    def text(self) -> str:
        return describe(encode(self.reason))


@dataclass
class NewOrganization:
    """An organization the change founds (the result of a merger, a part of a split)."""

    parent: Organization
    code: str
    name: str
    kind: str
    place_name: str = ""
    issuer_code: str = ""
    short_name: str = ""
    document_name: str = ""

    def fields(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "place_name": self.place_name,
            "issuer_code": self.issuer_code,
            "short_name": self.short_name,
            "document_name": self.document_name,
        }


@dataclass
class Change:
    """What the user asks for. `sources` are the organizations that end (merge, split) or change
    (rename, move)."""

    kind: str
    sources: list[Organization]
    effective_date: datetime.date
    decision: str
    reason: str = ""
    # Merge: into an existing organization, or into the one new organization of `new`.
    target: Organization | None = None
    # Merge into a new one (one entry), split (the parts to found).
    new: list[NewOrganization] = field(default_factory=list)
    # Split into existing organizations (besides any founded).
    split_into: list[Organization] = field(default_factory=list)
    # Split: where each active child ("o<pk>") and member ("m<pk>") goes, as an index into
    # `targets` (the existing ones first, then the founded ones).
    assignments: dict[str, int] = field(default_factory=dict)
    # Move: the new parent.
    parent: Organization | None = None
    # Rename: the new values of RENAMED_FIELDS.
    names: dict[str, str] = field(default_factory=dict)
    # Plans issued by a source, in progress, that end instead of going on under the successor.
    close_plans: list[int] = field(default_factory=list)
    close_reason: str = ""
    # Once carried out: the organizations founded, and where each member went.
    made: list[Organization] = field(default_factory=list)
    moved: dict[int, Organization] = field(default_factory=dict)

    @property
    def source(self) -> Organization:
        return self.sources[0]

    @property
    def targets(self) -> list[Organization]:
        """The organizations the sources' people and records go to (after they are founded)."""
        if self.kind == Kind.MERGE:
            return [self.target] if self.target is not None else self.made[:1]
        if self.kind == Kind.SPLIT:
            return [*self.split_into, *self.made]
        return []

    def target_names(self) -> list[str]:
        if self.kind == Kind.MERGE:
            return [self.target.name] if self.target is not None else [n.name for n in self.new]
        if self.kind == Kind.SPLIT:
            return [o.name for o in self.split_into] + [n.name for n in self.new]
        return []

    def ends(self) -> bool:
        return self.kind in (Kind.MERGE, Kind.SPLIT)

    def moving_subtrees(self) -> list[Organization]:
        """The organizations whose place in the tree changes, with everything under them."""
        return self.sources if self.kind != Kind.RENAME else []

    def moving_branches(self):
        """The active branches whose place in the tree changes (their pledges follow them)."""
        from django.db.models import Q

        q = Q(pk__in=[])
        for organization in self.moving_subtrees():
            q |= Q(path__startswith=organization.path)
        return Organization.objects.filter(q, kind=Organization.Kind.BRANCH, is_active=True)

    def children(self, source: Organization) -> list[Organization]:
        return list(
            Organization.objects.get_children(source).filter(is_active=True).order_by("path")
        )

    def members(self, source: Organization) -> list[Member]:
        if not source.is_branch:
            return []
        return list(Member.objects.filter(branch=source, is_active=True).order_by("sort_key", "pk"))

    def target_index_of(self, key: str) -> int:
        """Split: the index in `targets` of where a child ("o<pk>") or member ("m<pk>") goes
        (-1 when not given: refused)."""
        return self.assignments.get(key, -1)

    def destination(self, source: Organization, key: str) -> Organization:
        """Once founded: where a child or member of `source` goes."""
        if self.kind == Kind.MERGE:
            return self.targets[0]
        return self.targets[self.target_index_of(key)]

    def destination_name(self, key: str) -> str:
        names = self.target_names()
        if self.kind == Kind.MERGE:
            return names[0]
        return names[self.target_index_of(key)]

    def member_destinations_after(self) -> dict[int, Organization]:
        """Once carried out: {member id: the branch they moved to}."""
        return self.moved

    def involved(self) -> list[Organization]:
        """Every organization the actor must manage for the change."""
        organizations = list(self.sources)
        for source in self.sources:
            parent = Organization.objects.get_parent(source)
            if parent is not None and self.kind != Kind.RENAME:
                organizations.append(parent)
        if self.target is not None:
            organizations.append(self.target)
        organizations += self.split_into
        organizations += [n.parent for n in self.new]
        if self.parent is not None:
            organizations.append(self.parent)
        return organizations


@dataclass(frozen=True)
class Question:
    """A choice a handler leaves to the user (which plans in progress end instead of going on):
    `key` is the attribute of the Change it fills with the ids chosen."""

    key: str
    label: str
    choices: list[tuple[int, str]]
    help_text: str = ""


class Handler(Protocol):
    """How one app's records follow a change (registered in its AppConfig.ready())."""

    def questions(self, change: Change) -> list[Question]: ...

    def problems(self, change: Change) -> list[str]: ...

    def lines(self, change: Change) -> list[Line]: ...

    def apply(self, change: Change, actor: User) -> None: ...


HANDLERS: list[Handler] = []


def register(handler: Handler) -> None:
    """Add an app's handler (once)."""
    if handler not in HANDLERS:
        HANDLERS.append(handler)


@dataclass
class Preview:
    lines: list[Line]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def fingerprint(self) -> str:
        data = json.dumps(
            [line.stored() for line in self.lines],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(data.encode()).hexdigest()

    def sections(self) -> list[tuple[str, list[str]]]:
        """[(section title in the reader's language, [line texts])], in the order of SECTIONS."""
        grouped = []
        for section in SECTIONS:
            texts = [line.text for line in self.lines if line.section == section]
            if texts:
                grouped.append((_(section), texts))
        return grouped


def summary_lines(record: Reorganization) -> list[str]:
    """What a change carried out did, line by line, in the reader's language."""
    return [
        describe(json.dumps(line["r"], ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        for line in record.summary
    ]


def make_line(section: str, message: str, **params) -> Line:
    return Line(section, Reason(message, **params))


def day_text(day: datetime.date) -> str:
    return short_date(day)

"""Reorganizations that lose nothing: merge two or more organizations into a new or an existing
one, split one, rename one, move one (docs/rules.md "Reorganizations").

A change is first previewed (`reorganization_preview`): every line of what it would do, or the
reasons it is refused, and a fingerprint of those lines. Carrying it out (`reorganization_carry_out`)
previews it again inside one transaction, under locks, and goes on only if the fingerprint is
the one the user confirmed: what is done is exactly what was shown, and a failure anywhere
changes nothing.

What nothing is lost means here: an organization that ends is kept, inactive, with everything it
holds — under its successor after a merge, so whoever reaches the successor reaches its history;
its members and committees move on; its signed documents are never touched (their canonical
content keeps the names they were signed under, and every signature still verifies); every row
changed leaves its history.

The apps above this one say how their own records follow (plans, registrations and pledges,
the year's ratings and rounds): each registers a `Handler` in its AppConfig.ready(), which the
preview asks for its refusals and its lines and the change calls once the tree has moved.
"""

from branches.reorganization.change import (
    HANDLERS,
    MEMBERS,
    ORGANIZATIONS,
    PLANS,
    POSITIONS,
    REGISTRATIONS,
    RENAMED_FIELDS,
    ROLES,
    SECTIONS,
    SIGNED,
    TERMS,
    YEAR,
    Change,
    Handler,
    Line,
    NewOrganization,
    Preview,
    Question,
    register,
    summary_lines,
)
from branches.reorganization.services import (
    move_problems,
    questions_for,
    reorganization_carry_out,
    reorganization_preview,
)

__all__ = [
    "HANDLERS",
    "MEMBERS",
    "ORGANIZATIONS",
    "PLANS",
    "POSITIONS",
    "REGISTRATIONS",
    "RENAMED_FIELDS",
    "ROLES",
    "SECTIONS",
    "SIGNED",
    "TERMS",
    "YEAR",
    "Change",
    "Handler",
    "Line",
    "NewOrganization",
    "Preview",
    "Question",
    "move_problems",
    "questions_for",
    "register",
    "reorganization_carry_out",
    "reorganization_preview",
    "summary_lines",
]

"""Reasons kept in history in a language-independent form, shown in the reader's language.

A reason is stored as JSON: {"m": msgid, "p": {name: value}}, where the msgid is the Vietnamese
source text of the message (marked with `gettext_noop` at the call site so it is in the
catalogue) and a parameter is a plain value (a name, a number, text a user typed) or a nested
{"m": msgid} for a label that is itself translated. Rows written before this form (plain text)
are shown as they were stored.
"""

import json
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext

PREFIX = '{"m":'


@dataclass(frozen=True)
class Reason:
    """A message (its Vietnamese source text, marked with gettext_noop) and its parameters."""

    message: str
    params: dict = field(default_factory=dict)

    def __init__(self, message: str, **params):
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "params", params)

    def as_data(self) -> dict:
        data = {"m": self.message}
        if self.params:
            data["p"] = {
                name: value.as_data() if isinstance(value, Reason) else _plain(value)
                for name, value in self.params.items()
            }
        return data


def label(text) -> Reason:
    """A translatable label as a parameter (a choice's label, a field's verbose name): kept by its
    Vietnamese source text, translated when shown."""
    with translation.override("vi"):
        return Reason(str(text))


def _plain(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def encode(reason: "Reason | str") -> str:
    """The stored form of a reason (a bare message is a reason without parameters)."""
    if isinstance(reason, str):
        reason = Reason(reason)
    return json.dumps(reason.as_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _render(data: dict) -> str:
    text = gettext(data["m"])
    params = {
        name: _render(value) if isinstance(value, dict) else value
        for name, value in data.get("p", {}).items()
    }
    return text % params if params else text


def describe(stored: str | None) -> str:
    """A stored reason in the current language; text stored before the coded form, as it is."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _render(json.loads(stored))
    except (ValueError, KeyError, TypeError):
        return stored

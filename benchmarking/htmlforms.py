"""The POST forms of a page as a browser would send them unchanged (the load test's writers,
benchmarking/locustfile.py; no Django here: it runs in locust's own environment too)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """The POST forms of a page: action and the values they would send as shown."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"] = a.get("value", "")
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            value = self._select["chosen"]
            if value is None:
                value = self._select["first"] or ""
            self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            # As a browser does (HTML, "textarea"): a newline right after the tag is not content.
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def post_form(html: str, path: str) -> dict | None:
    """The page's main form: the POST form that sends to this page, with the most fields."""
    parser = _Forms()
    parser.feed(html)
    own = [f for f in parser.forms if f["action"] in ("", path, ".")]
    return max(own, key=lambda f: len(f["fields"]), default=None)


def form_data(form: dict, changes: dict | None = None) -> list[tuple[str, str]]:
    """The form's fields as a list (a name may repeat: checkboxes of one list), with `changes`
    in place of the fields of those names."""
    changes = changes or {}
    return [(k, v) for k, v in form["fields"] if k not in changes] + list(changes.items())

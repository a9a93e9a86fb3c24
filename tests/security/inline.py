"""Finding what a Content Security Policy without 'unsafe-inline' would block in an HTML page:
inline scripts, <style> blocks without the response's nonce, style="" and on…="" attributes,
javascript: URLs."""

import re
from html.parser import HTMLParser

# Not executed, so not subject to script-src.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


class _Finder(HTMLParser):
    def __init__(self, nonce: str | None, allowed: set[str]):
        super().__init__(convert_charrefs=True)
        self.nonce, self.allowed, self.problems = nonce, allowed, []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        text = self.get_starttag_text()
        if text in self.allowed:
            return
        script_type = (values.get("type") or "").lower()
        if tag == "script" and not values.get("src") and script_type not in DATA_SCRIPT_TYPES:
            self.problems.append(f"inline script: {text}")
        if tag == "style" and (self.nonce is None or values.get("nonce") != self.nonce):
            self.problems.append(f"<style> without the response's nonce: {text}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute: {text}")
            elif name == "style":
                self.problems.append(f"style attribute: {text}")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL: {text}")


def policy_directives(header: str) -> dict[str, list[str]]:
    """'default-src 'self'; img-src 'self' data:' -> {"default-src": ["'self'"], …}"""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def blocked_by_policy(html: str, policy: str, *, allowed: set[str] = frozenset()) -> list[str]:
    """What in `html` the browser would refuse under `policy` (the response's CSP header).
    `allowed`: exact start tags known to be blocked and accepted (third-party, cosmetic)."""
    style_sources = policy_directives(policy).get("style-src", [])
    nonces = [re.fullmatch(r"'nonce-(.+)'", s).group(1) for s in style_sources if "nonce-" in s]
    finder = _Finder(nonces[0] if nonces else None, set(allowed))
    finder.feed(html)
    return finder.problems

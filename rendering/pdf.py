"""PDF documents, rendered with WeasyPrint.

`render_pdf` is the one entry point: a template under `templates/<app>/pdf/`, rendered in the
document's language, turned into PDF bytes with the Tinos font (a Times-compatible serif with full
Vietnamese coverage, installed by npm) embedded. Nothing is fetched from the network: the URL
fetcher serves files from the app's own static directories and data: URLs, and refuses the rest.
Call it after the transaction that changed the data has committed.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

PDF_CONTENT_TYPE = "application/pdf"
FONT_FILES = {
    ("normal", "normal"): "vendor/tinos/400Regular/Tinos_400Regular.ttf",
    ("normal", "italic"): "vendor/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf",
    ("bold", "normal"): "vendor/tinos/700Bold/Tinos_700Bold.ttf",
    ("bold", "italic"): "vendor/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf",
}


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    content_type: str = PDF_CONTENT_TYPE


class ForbiddenResource(FatalURLFetchingError):
    """A document asked for something outside the app: rendering stops rather than leak."""


def allowed_roots() -> list[Path]:
    """Directories a document may read from: the app's static files and its private uploads."""
    roots = [Path(settings.BASE_DIR) / "static", Path(settings.MEDIA_ROOT)]
    roots += [
        Path(entry[1] if isinstance(entry, tuple) else entry) for entry in settings.STATICFILES_DIRS
    ]
    return [root.resolve() for root in roots]


class SafeURLFetcher(URLFetcher):
    """Serves file:// URLs inside the app and data: URLs; refuses network addresses and other files."""

    def __init__(self):
        super().__init__(
            allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True
        )
        self.roots = allowed_roots()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ForbiddenResource(f"refused to fetch {url!r}: documents use no network resources")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ForbiddenResource(f"refused to read {path}: outside the application's files")
        return super().fetch(url, headers)


def font_faces_css() -> str:
    """@font-face rules pointing at the Tinos files on disk (resolved through staticfiles)."""
    rules = []
    for (weight, style), static_path in FONT_FILES.items():
        path = finders.find(static_path)
        if path is None:
            raise RuntimeError(f"font {static_path} missing: run `npm ci` (make install)")
        rules.append(
            "@font-face { font-family: 'Tinos'; "
            f"src: url('{Path(path).resolve().as_uri()}'); font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def render_html(template_name: str, context: dict, *, language: str = "vi") -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "font_faces": font_faces_css()})


def render_pdf(
    template_name: str, context: dict, *, filename: str, language: str = "vi"
) -> Document:
    """Render a document template to PDF bytes in the given language."""
    html = render_html(template_name, context, language=language)
    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    content = HTML(string=html, base_url=base_url, url_fetcher=SafeURLFetcher()).write_pdf()
    return Document(content=content, filename=filename)

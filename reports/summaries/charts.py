"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Each chart has a <title> and <desc> (read by screen readers) and is meant to sit beside a table
of its numbers. No script, no style attribute (the CSP forbids inline styles): presentation
attributes only. Text is escaped."""

from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from vietnamese.numbers import number

PALETTE = ["#a4161a", "#1a4d8f", "#2b8a3e", "#e8590c", "#6741d9", "#495057"]
# The drawing's width in units. Text is 12 units or more, and a page never shows a chart below
# 480 px wide (static/css/app.css), so no label is smaller than 11 px at 100% zoom.
WIDTH = 520
FONT = 'font-family="Tinos, DejaVu Serif, serif"'


def _svg(width: int, height: int, title: str, description: str, body: list[str], ident: str) -> str:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _number(value) -> str:
    return number(value) if isinstance(value, Decimal | float) else str(value)


def _short(label: str, limit: int = 32) -> str:
    """A label that fits beside the bars, cut at a word with an ellipsis (the table has it whole)."""
    if len(label) <= limit:
        return label
    return label[: limit - 1].rsplit(" ", 1)[0] + "…"


def bar_chart(
    *,
    title: str,
    items: list[tuple[str, float | Decimal | None]],
    unit: str = "",
    maximum: float | None = None,
    ident: str = "bars",
) -> str:
    """Horizontal bars, one per (label, value)."""
    values = [float(v) for _label, v in items if v is not None]
    top = maximum or (max(values) if values else 1) or 1
    row, label_width, width = 28, 200, WIDTH
    height = row * len(items) + 16
    body = []
    for index, (label, value) in enumerate(items):
        y = 8 + index * row
        length = 0 if value is None else (float(value) / top) * (width - label_width - 70)
        body.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" {FONT}>{escape(_short(label))}</text>'
        )
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 0):.1f}" height="18" fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        shown = "—" if value is None else _number(value) + unit
        body.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" font-size="13" {FONT}>{escape(shown)}</text>'
        )
    description = "; ".join(
        f"{label}: {_('không có số liệu') if value is None else _number(value) + unit}"
        for label, value in items
    )
    return _svg(width, height, title, description, body, ident)


def line_chart(
    *, title: str, labels: list[str], series: list[tuple[str, list[int]]], ident: str = "lines"
) -> str:
    """Cumulative lines over time (one per series), with a legend."""
    width, height, left, bottom, top_pad = WIDTH, 240, 40, 30, 24
    peak = max((max(values) for _name, values in series if values), default=1) or 1
    steps = max(len(labels) - 1, 1)
    plot_w, plot_h = width - left - 20, height - bottom - top_pad
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 20}" y2="{height - bottom}" stroke="#888"/>'
    ]
    for fraction in (0, 0.5, 1):
        y = height - bottom - plot_h * fraction
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" {FONT}>{round(peak * fraction)}</text>'
        )
    for index, (name, values) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        points = " ".join(
            f"{left + plot_w * i / steps:.1f},{height - bottom - plot_h * v / peak:.1f}"
            for i, v in enumerate(values)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2.5"/>'
        )
        body.append(
            f'<rect x="{left + 10 + index * 180}" y="4" width="12" height="12" fill="{color}"/>'
        )
        body.append(
            f'<text x="{left + 28 + index * 180}" y="15" font-size="12" {FONT}>{escape(name)}</text>'
        )
    # The first and the last day: the axis starts and stops with the events drawn.
    for i, anchor in {0: "start", len(labels) - 1: "end"}.items():
        if labels:
            body.append(
                f'<text x="{left + plot_w * i / steps:.1f}" y="{height - 10}" text-anchor="{anchor}" font-size="12" {FONT}>{escape(labels[i])}</text>'
            )
    description = "; ".join(
        _("%(name)s: %(n)s đến %(day)s")
        % {"name": name, "n": values[-1] if values else 0, "day": labels[-1] if labels else ""}
        for name, values in series
    )
    return _svg(width, height, title, description, body, ident)


def grouped_bars(
    *,
    title: str,
    groups: list[str],
    series: list[tuple[str, list[float | Decimal | None]]],
    unit: str = "",
    ident: str = "groups",
) -> str:
    """Vertical bars, one group per label (e.g. per year), one bar per series."""
    width, height, bottom, top_pad = WIDTH, 240, 40, 28
    values = [float(v) for _n, vs in series for v in vs if v is not None]
    peak = max(values, default=1) or 1
    group_w = (width - 40) / max(len(groups), 1)
    bar_w = min(40, group_w / (len(series) + 1))
    plot_h = height - bottom - top_pad
    body = [
        f'<line x1="20" y1="{height - bottom}" x2="{width - 20}" y2="{height - bottom}" stroke="#888"/>'
    ]
    for g, group in enumerate(groups):
        x0 = 20 + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, (_name, vs) in enumerate(series):
            value = vs[g]
            h = 0 if value is None else plot_h * float(value) / peak
            x = x0 + s * bar_w
            body.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            shown = "—" if value is None else _number(value) + unit
            body.append(
                f'<text x="{x + (bar_w - 4) / 2:.1f}" y="{height - bottom - h - 4:.1f}" text-anchor="middle" font-size="12" {FONT}>{escape(shown)}</text>'
            )
        body.append(
            f'<text x="{20 + g * group_w + group_w / 2:.1f}" y="{height - 18}" text-anchor="middle" font-size="12" {FONT}>{escape(group)}</text>'
        )
    for s, (name, _vs) in enumerate(series):
        body.append(
            f'<rect x="{24 + s * 200}" y="4" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>'
        )
        body.append(f'<text x="{42 + s * 200}" y="15" font-size="12" {FONT}>{escape(name)}</text>')
    description = "; ".join(
        f"{group}: "
        + ", ".join(
            f"{name} {'—' if vs[g] is None else _number(vs[g]) + unit}" for name, vs in series
        )
        for g, group in enumerate(groups)
    )
    return _svg(width, height, title, description, body, ident)


def summary_charts(data) -> dict[str, str]:
    """The summary's charts: progress over time, results per criterion, the distribution of
    ratings, and the comparison with the previous year."""
    from criteria.rules import Level

    charts = {}
    if data.progress:
        charts["progress"] = line_chart(
            title=_("Tiến độ đăng ký và ký cam kết"),
            labels=[p["week"].strftime("%d/%m/%Y") for p in data.progress],
            series=[
                (_("Đã đăng ký"), [p["registered"] for p in data.progress]),
                (_("Đã ký cam kết"), [p["signed"] for p in data.progress]),
            ],
            ident="chart-progress",
        )
    charts["criteria"] = bar_chart(
        title=_("Điểm bình quân từng tiêu chí (%(unit)s số điểm)") % {"unit": "%"},
        items=[(f"{a['order']}. {a['name']}", a["share"]) for a in data.criterion_averages],
        unit="%",
        maximum=100,
        ident="chart-criteria",
    )
    charts["levels"] = bar_chart(
        title=_("Xếp loại chất lượng (cấp trên đã quyết định)"),
        items=[(str(Level(level).label), count) for level, count in data.distribution],
        ident="chart-levels",
    )
    if data.previous:
        charts["years"] = grouped_bars(
            title=_("So sánh với năm trước"),
            groups=[str(data.previous["year"]), str(data.year)],
            series=[
                (
                    _("Tỷ lệ đạt mô hình (%)"),
                    [data.previous["reached_rate"], data.counts["reached_rate"]],
                )
            ],
            unit="%",
            ident="chart-years",
        )
    return charts

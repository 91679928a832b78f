"""Charts as static SVG, drawn server-side from plain rows (each value also sits in a
``data-value`` attribute and a ``<title>``, so the numbers are readable and testable).
Every label is escaped by the template engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

__all__ = ["bar_chart", "year_chart"]

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))

_BARS = _env.from_string("""\
<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{{ width }}" height="{{ height }}" \
viewBox="0 0 {{ width }} {{ height }}" aria-label="{{ title }}"><title>{{ title }}</title>
{% for bar in bars %}<g class="bar" data-label="{{ bar.label }}" data-value="{{ bar.value }}">\
<title>{{ bar.label }}: {{ bar.value }}</title>\
<text x="{{ label_width - 6 }}" y="{{ bar.y + 13 }}" text-anchor="end" font-size="12">{{ bar.short }}</text>\
<rect x="{{ label_width }}" y="{{ bar.y }}" width="{{ bar.w }}" height="18" fill="{{ colour }}"></rect>\
<text x="{{ label_width + bar.w + 4 }}" y="{{ bar.y + 13 }}" font-size="12">{{ bar.value }}</text></g>
{% endfor %}</svg>""")

_YEARS = _env.from_string("""\
<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{{ width }}" height="{{ height }}" \
viewBox="0 0 {{ width }} {{ height }}" aria-label="{{ title }}"><title>{{ title }}</title>
<line x1="40" y1="{{ base }}" x2="{{ width - 10 }}" y2="{{ base }}" stroke="#888"></line>
<text x="36" y="{{ top + 4 }}" text-anchor="end" font-size="11">{{ peak }}</text>
<text x="36" y="{{ base }}" text-anchor="end" font-size="11">0</text>
{% for year in years %}<g class="year" data-year="{{ year.year }}">\
{% for bar in year.bars %}<rect class="bar" data-series="{{ bar.series }}" data-value="{{ bar.value }}" \
x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.w }}" height="{{ bar.h }}" fill="{{ bar.colour }}">\
<title>{{ year.year }} {{ bar.series }}: {{ bar.value }}</title></rect>{% endfor %}\
<text x="{{ year.x }}" y="{{ base + 14 }}" text-anchor="middle" font-size="11">{{ year.year }}</text></g>
{% endfor %}{% for s in legend %}<rect x="{{ s.x }}" y="4" width="10" height="10" fill="{{ s.colour }}"></rect>\
<text x="{{ s.x + 14 }}" y="13" font-size="11">{{ s.series }}</text>
{% endfor %}</svg>""")

PALETTE = ("#d62f6b", "#2a9d8f", "#4c78a8", "#f58518", "#b279a2")


def _short(text: str, most: int = 38) -> str:
    return text if len(text) <= most else text[:most - 1] + "\u2026"


def bar_chart(title: str, rows: Sequence[tuple[str, float]], colour: str = "#4c78a8",
              width: int = 640, label_width: int = 260) -> Markup:
    """Horizontal bars, one per (label, value) row, in the given order."""
    peak = max((v for _, v in rows), default=0) or 1
    room = width - label_width - 50
    bars = [{"label": label, "short": _short(label), "value": value, "y": 8 + i * 24,
             "w": round(room * value / peak, 1)} for i, (label, value) in enumerate(rows)]
    return Markup(_BARS.render(title=title, bars=bars, colour=colour, width=width,
                               height=16 + 24 * len(rows), label_width=label_width))


def year_chart(title: str, rows: Sequence[dict[str, Any]], series: Sequence[str],
               width: int = 640, height: int = 240) -> Markup:
    """Grouped vertical bars per year: ``rows`` are dicts with ``year`` and one key per series."""
    top, base = 24, height - 22
    peak = max((int(r[s]) for r in rows for s in series), default=0) or 1
    slot = (width - 50) / max(len(rows), 1)
    bar_w = max(slot * 0.8 / len(series), 1)
    years = []
    for i, row in enumerate(rows):
        x0 = 44 + i * slot + slot * 0.1
        bars = []
        for j, name in enumerate(series):
            h = (base - top) * int(row[name]) / peak
            bars.append({"series": name, "value": row[name], "x": round(x0 + j * bar_w, 1), "y": round(base - h, 1),
                         "w": round(bar_w, 1), "h": round(h, 1), "colour": PALETTE[j % len(PALETTE)]})
        years.append({"year": row["year"], "bars": bars, "x": round(x0 + slot * 0.4, 1)})
    legend = [{"series": s, "colour": PALETTE[j % len(PALETTE)], "x": 50 + j * 110} for j, s in enumerate(series)]
    return Markup(_YEARS.render(title=title, years=years, legend=legend, width=width, height=height,
                                top=top, base=base, peak=peak))

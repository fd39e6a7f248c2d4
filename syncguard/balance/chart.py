"""An inline SVG line chart of EMR against billing visits per day, for one place of service.

Plain SVG with presentation attributes: no script, no stylesheet, no network, so it renders
under the report's strict Content-Security-Policy. Hovering a point shows its value (an SVG
``<title>``). Every text is escaped.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape
from typing import Any

WIDTH, HEIGHT = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 40, 34, 40
SERIES = (
    ("emr", "EMR billable visits (by finalized date)", "#1d4ed8", ""),
    ("billing", "Billing visits (by created date)", "#e8590c", "6 4"),
)
_MARKERS_UP_TO = 62
_GRID = "#e4e7ec"
_INK = "#667085"


def chart(place: str, daily: list[dict[str, Any]]) -> str:
    """The chart of one place's ``daily`` rows ({"day", "emr", "billing"})."""
    days = [date.fromisoformat(entry["day"]) for entry in daily]
    top = _nice_max(max([1, *(max(entry["emr"], entry["billing"]) for entry in daily)]))
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = width / max(len(days) - 1, 1)

    def x(index: int) -> float:
        return LEFT + index * step if len(days) > 1 else LEFT + width / 2

    def y(value: float) -> float:
        return TOP + height * (1 - value / top)

    label = f"EMR and billing visits per day, place of service {place}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
        *_differences(daily, days, x, step),
        *_y_axis(top, y),
        *_x_axis(days, x),
        *(_series(side, colour, dash, daily, days, x, y) for side, _, colour, dash in SERIES),
        *_legend(),
        "</svg>",
    ]
    return "".join(parts)


def _nice_max(value: int) -> int:
    """The top of the y axis: four equal, whole, round steps that hold ``value``."""
    needed = math.ceil(value / 4)
    magnitude = 10 ** max(len(str(needed)) - 1, 0)
    steps = (f * magnitude for f in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10))
    step = next(s for s in steps if s >= needed and s == int(s))
    return int(step) * 4


def _differences(daily: list[dict[str, Any]], days: list[date], x: Any, step: float) -> list[str]:
    """A pale band behind each day on which the two sides differ, saying by how much."""
    width = min(step, 60) if len(days) > 1 else 60
    parts = []
    for index, entry in enumerate(daily):
        if entry["emr"] == entry["billing"]:
            continue
        tip = (
            f"{days[index].strftime('%a %m/%d/%Y')}: EMR {entry['emr']}, billing "
            f"{entry['billing']} ({entry['emr'] - entry['billing']:+d})"
        )
        left = max(x(index) - width / 2, LEFT)
        right = min(x(index) + width / 2, WIDTH - RIGHT)
        parts.append(
            f'<rect class="differs" x="{left:.1f}" y="{TOP}" width="{right - left:.1f}" '
            f'height="{HEIGHT - TOP - BOTTOM}" fill="#fef3f2"><title>{escape(tip)}</title></rect>'
        )
    return parts


def _y_axis(top: int, y: Any) -> list[str]:
    parts = []
    for tick in range(5):
        value = top * tick / 4
        at = y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at:.1f}" y2="{at:.1f}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{at + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{_INK}">{value:g}</text>'
        )
    return parts


def _x_axis(days: list[date], x: Any) -> list[str]:
    every = max(1, math.ceil(len(days) / 12))
    parts = []
    for index, day in enumerate(days):
        if index % every:
            continue
        text = day.strftime("%a %m/%d") if len(days) <= 14 else day.strftime("%m/%d")
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="11" fill="{_INK}">{escape(text)}</text>'
        )
    return parts


def _series(
    side: str,
    colour: str,
    dash: str,
    daily: list[dict[str, Any]],
    days: list[date],
    x: Any,
    y: Any,
) -> str:
    points = " ".join(f"{x(i):.1f},{y(entry[side]):.1f}" for i, entry in enumerate(daily))
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [
        f'<g class="series series-{side}" data-side="{side}">',
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2" '
        f'stroke-linejoin="round" stroke-linecap="round"{dashed}/>',
    ]
    if len(daily) <= _MARKERS_UP_TO:
        name = "EMR" if side == "emr" else "billing"
        for index, entry in enumerate(daily):
            tip = f"{days[index].strftime('%a %m/%d/%Y')}: {entry[side]} {name} visits"
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(entry[side]):.1f}" r="3.6" fill="#fff" '
                f'stroke="{colour}" stroke-width="2"><title>{escape(tip)}</title></circle>'
            )
    parts.append("</g>")
    return "".join(parts)


def _legend() -> list[str]:
    parts = []
    at = LEFT
    for _, label, colour, dash in SERIES:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{at}" x2="{at + 22}" y1="14" y2="14" stroke="{colour}" '
            f'stroke-width="2.6"{dashed}/>'
            f'<text x="{at + 28}" y="18" font-size="12" fill="#1d2939">{escape(label)}</text>'
        )
        at += 300
    return parts

"""The HTML report of a balance: the shared page, with the balance before its findings.

The section (readiness, then per place a chart and a table) goes right after the summary
cards; its stylesheet is added to the page with its own hash in the Content-Security-Policy,
so the page still loads nothing from anywhere and runs no script but its own.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from typing import Any

from syncguard.balance.chart import chart
from syncguard.balance.report_data import (
    COLUMNS,
    balance_of,
    cell,
    heading,
    locations_line,
    period_label,
    readiness_counts,
    total_row,
)
from syncguard.balance.style import STYLE
from syncguard.findings import CheckResult
from syncguard.reports import render as render_shared

_STYLE_SOURCE = re.compile(r"style-src ('sha256-[^']+')")
_CARDS_END = re.compile(r'(<section class="cards".*?</section>)', re.DOTALL)


def render(result: CheckResult) -> str:
    page = render_shared(result, "html")
    style = STYLE
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    page = _STYLE_SOURCE.sub(lambda m: f"style-src {m[1]} 'sha256-{digest}'", page, count=1)
    page = page.replace("</head>", f"<style>{style}</style>\n</head>", 1)
    section = balance_section(result)
    if _CARDS_END.search(page):
        return _CARDS_END.sub(lambda m: f"{m[1]}\n{section}", page, count=1)
    return page.replace("</main>", f"{section}\n</main>", 1)


def balance_section(result: CheckResult) -> str:
    data = balance_of(result)
    places = "\n".join(_place(place, data["by"]) for place in data["places"])
    locations = locations_line(data)
    where = f"<p>{escape(locations)}</p>" if locations else ""
    return (
        '<section class="balance" aria-label="Balance">\n'
        f'<div class="card"><h2>Balance</h2><p class="lead">{escape(heading(data))}</p>'
        f"{where}{_readiness(result)}</div>\n{places}\n{_notes(data['notes'])}</section>"
    )


def _notes(notes: list[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return f'<div class="card"><h2>Notes</h2><ul class="notes">{items}</ul></div>'


def _readiness(result: CheckResult) -> str:
    items = "".join(
        f'<li class="{"open" if count else "done"}"><b>{count}</b> {escape(what)} '
        f'<span class="code">{code}</span></li>'
        for code, what, count in readiness_counts(result)
    )
    return f'<h3>Readiness</h3><ul class="readiness">{items}</ul>'


def _place(place: dict[str, Any], by: str) -> str:
    name = escape(place["place"])
    head = "".join(f'<th scope="col">{escape(label)}</th>' for _, label, _ in COLUMNS)
    rows = "".join(_row(row, by) for row in place["periods"])
    totals = total_row(place)
    foot = "".join(f"<td>{cell(field, totals[field])}</td>" for field, _, _ in COLUMNS)
    return (
        f'<div class="card place" id="place-{name}"><h2>Place of service {name}</h2>'
        f'<figure class="chart-box">{chart(place["place"], place["daily"])}</figure>'
        f'<div class="table-wrap"><table class="balance-table"><thead><tr>'
        f'<th scope="col">Period</th>{head}</tr></thead><tbody>{rows}</tbody>'
        f'<tfoot><tr><th scope="row">Total</th>{foot}</tr></tfoot></table></div></div>'
    )


def _row(row: dict[str, Any], by: str) -> str:
    css = ' class="unexplained"' if row["unexplained"] else ""
    cells = "".join(f"<td>{cell(field, row[field])}</td>" for field, _, _ in COLUMNS)
    return f'<tr{css}><th scope="row">{escape(period_label(row, by))}</th>{cells}</tr>'

"""Render a balance result: text and HTML with the per-place tables, the rest shared."""

from __future__ import annotations

import json

from syncguard.findings import CheckResult
from syncguard.reports import render as render_shared


def render_balance(result: CheckResult, fmt: str) -> str:
    """``result`` in ``fmt``; the tables travel in text, HTML and JSON (``balance``)."""
    if fmt == "text":
        from syncguard.balance import report_text

        return report_text.render(result)
    if fmt == "html":
        from syncguard.balance import report_html

        return report_html.render(result)
    if fmt == "json":
        return _json(result)
    return render_shared(result, fmt)


def _json(result: CheckResult) -> str:
    """The shared JSON document, plus the balance tables if it does not carry them itself.

    Written without indentation: a year of daily rows is large, and Python's encoder is only
    fast without it (``jq .`` shows it indented).
    """
    from syncguard.reports.json_doc import document

    doc = document(result)
    doc.setdefault("balance", result.extra.get("balance"))
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"

"""Report formats: each renders a ``CheckResult`` to a string; ``write_report`` saves one safely.

Every format is a module of its own with ``render(result) -> str``; ``REPORTERS`` maps the format
name to a function that imports that module on first use, so the CLI starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from syncguard.atomic_write import write_text_atomically as write_report
from syncguard.findings import CheckResult

__all__ = ["FORMATS", "REPORTERS", "render", "write_report"]

Reporter = Callable[[CheckResult], str]

_MODULES: dict[str, str] = {
    "text": "syncguard.reports.text",
    "json": "syncguard.reports.json_doc",
    "junit": "syncguard.reports.junit",
    "sarif": "syncguard.reports.sarif",
    "csv": "syncguard.reports.csv_fixes",
    "markdown": "syncguard.reports.markdown",
    "html": "syncguard.reports.html_page",
}

FORMATS: tuple[str, ...] = tuple(_MODULES)


def _lazy(module_name: str) -> Reporter:
    def reporter(result: CheckResult) -> str:
        render: Reporter = importlib.import_module(module_name).render
        return render(result)

    reporter.__name__ = f"render_{module_name.rsplit('.', 1)[-1]}"
    reporter.__doc__ = f"Render a check result with ``{module_name}.render``."
    return reporter


REPORTERS: dict[str, Reporter] = {name: _lazy(module) for name, module in _MODULES.items()}


def render(result: CheckResult, fmt: str) -> str:
    """Render ``result`` in format ``fmt`` (one of ``FORMATS``)."""
    try:
        reporter = REPORTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown report format '{fmt}' (use one of: {known})") from None
    return reporter(result)

"""Report formats: each renders a ``CheckResult`` to a string; ``write_report`` saves one safely.

Every format is a module of its own with ``render(result) -> str``; ``REPORTERS`` maps the format
name to a function that imports that module on first use, so the CLI starts fast. A module may
also offer ``render_bytes(result) -> bytes``, the same report already encoded as UTF-8, when its
encoder makes bytes (orjson does): ``render_bytes`` here uses it, so a report of tens of
megabytes is not decoded to text only to be encoded again on its way out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from syncguard.atomic_write import write_bytes_atomically as write_report_bytes
from syncguard.atomic_write import write_text_atomically as write_report
from syncguard.findings import CheckResult

__all__ = ["FORMATS", "REPORTERS", "render", "render_bytes", "write_report", "write_report_bytes"]

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
    return _reporter(fmt)(result)


def render_bytes(result: CheckResult, fmt: str) -> bytes:
    """``render`` as the UTF-8 bytes of the report, the same bytes ``render(...).encode()``
    gives."""
    _reporter(fmt)  # an unknown format is refused as ``render`` refuses it
    encode: Callable[[CheckResult], bytes] | None = getattr(
        importlib.import_module(_MODULES[fmt]), "render_bytes", None
    )
    return encode(result) if encode is not None else render(result, fmt).encode("utf-8")


def _reporter(fmt: str) -> Reporter:
    try:
        return REPORTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown report format '{fmt}' (use one of: {known})") from None

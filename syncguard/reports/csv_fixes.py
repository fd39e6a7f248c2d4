"""The ``csv`` format: the fix list, one row per finding, safe to open in a spreadsheet.

The text starts with a UTF-8 byte order mark so that Excel shows non-ASCII names correctly, and
every cell that a spreadsheet would run as a formula is defused (``syncguard.csvsafe``).
"""

from __future__ import annotations

import csv
import io

from syncguard.csvsafe import neutralise_row
from syncguard.findings import CheckResult, Finding
from syncguard.reports.common import format_score

BOM = "\ufeff"
COLUMNS = (
    "severity", "code", "name", "entity", "file", "row", "record", "key", "value", "expected",
    "message", "fix", "suggestion", "score", "drift", "waived",
)  # fmt: skip


def render(result: CheckResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in result.sorted_findings():
        writer.writerow(neutralise_row(_cells(finding)))
    return BOM + buffer.getvalue()


def _cells(finding: Finding) -> list[str]:
    return [
        finding.severity.label,
        finding.code,
        finding.name,
        finding.entity,
        finding.file or "",
        "" if finding.row is None else str(finding.row),
        finding.record,
        finding.key,
        finding.value or "",
        finding.expected or "",
        finding.message,
        finding.fix,
        finding.suggestion or "",
        format_score(finding.score),
        finding.drift or "",
        "yes" if finding.waived else "",
    ]

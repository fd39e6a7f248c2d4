"""Render the rule catalogue as Markdown: ``docs/rules.md`` and ``syncguard rule CODE``.

Regenerate the docs with ``python -m syncguard.checks.docs > docs/rules.md`` (or
``syncguard rules --format markdown > docs/rules.md``); a test fails when the file is stale.
"""

from __future__ import annotations

import sys

from syncguard.checks.catalogue import Rule
from syncguard.checks.rules import all_rules

REGENERATE = "python -m syncguard.checks.docs > docs/rules.md"

_AREAS = (
    ("EXP", "Export cells (any list)"),
    ("NPI", "NPI validity (any list)"),
    ("PAY", "Payers"),
    ("FAC", "Facilities"),
    ("REN", "Rendering providers"),
    ("REF", "Referring providers"),
    ("VIS", "Visit balance (syncguard balance)"),
)
_INTRO = f"""\
# Rules

<!-- Generated from the rule catalogue by `{REGENERATE}`: do not edit. -->

Every finding of `syncguard check` (areas EXP, NPI, PAY, FAC, REN, REF) and of
`syncguard balance` (area VIS) comes from one of these rules. A code is an area plus three
digits and is never reused; in `check`, 0xx is presence and format, 1xx lookup in the registry,
2xx consistency, 3xx coverage, 4xx NPI agreement. The severity shown is the default; change it
per code in the config (`[check.severity]`, e.g. `PAY301 = "warning"`). Run or skip rules
with `--select` / `--ignore` (a code, a prefix such as `PAY` or `REF1`, or a rule name). A
damaged or malformed value is reported once, never again as "unknown" or "mismatched".
`syncguard rule CODE` prints one rule's explanation.

Every finding names its rule, severity and entity, the file and row (as a spreadsheet numbers
it: the header is row 1; coverage findings carry the CMD key instead), the record, its stable
key (CMD sequence number or NPI, else the WebPT name), the value found, what was expected, a
one-sentence message and the fix. Where an Alternate ID or NPI is missing, unusable or
unknown, the CMD record matching best (same NPI, else the most similar name) is proposed with
its score when it reaches `[check] suggest_threshold`.

`syncguard check` exits with 0 when no finding is at or above `--fail-on` (default `error`),
1 when some are, 2 on a usage or input error (unreadable file, missing column, bad config) and
3 when the registry cannot be reached. `--output` is written only when the check ran (0 or 1).
"""


def render_rule_markdown(rule: Rule, *, heading: str = "##") -> str:
    """One rule: what it checks, why it matters, an example, how to fix it."""
    return (
        f"{heading} {rule.code} `{rule.name}`\n\n"
        f"Severity: **{rule.severity.label}**. Entity: {rule.entity}.\n\n"
        f"**What it checks.** {rule.summary}\n\n"
        f"**Why it matters.** {rule.why}\n\n"
        f"**Example.** {rule.example}\n\n"
        f"**How to fix.** {rule.fix}\n"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_rules_markdown() -> str:
    """The whole catalogue: a summary table, then every rule grouped by area."""
    rules = list(all_rules())
    lines = [
        _INTRO,
        "| code | name | severity | entity | fires when |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity.label} | "
        f"{r.entity} | {_cell(r.summary)} |"
        for r in rules
    ]
    titles = dict(_AREAS)
    areas = [area for area, _ in _AREAS] + sorted({r.area for r in rules} - set(titles))
    for area in areas:
        in_area = [render_rule_markdown(r, heading="###") for r in rules if r.area == area]
        if in_area:
            lines += [f"\n## {titles.get(area, area)} ({area})\n", *in_area]
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_rules_markdown())

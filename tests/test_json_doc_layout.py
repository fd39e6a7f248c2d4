"""The JSON report is laid out exactly as ``json.dumps(..., indent=2, ensure_ascii=False)`` would.

Scores are drawn as findings carry them, rounded to one decimal: for such numbers both encoders
write the same digits (for a number like 1e-05 they would differ, in form only).
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from test_reports_sample import sample_findings, sample_result

from syncguard.findings import Finding, Severity
from syncguard.reports import json_doc

# Braces, commas, quotes, newlines and separators inside values must not confuse the layout.
TRICKY = st.text(alphabet=st.sampled_from('ab{}[],:"\\\n\t \u2028é😀'), max_size=12)


def slow_render(findings: list[Finding]) -> str:
    return json.dumps(json_doc.document(sample_result(findings)), ensure_ascii=False, indent=2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            TRICKY, TRICKY, st.one_of(st.none(), st.floats(0, 100).map(lambda x: round(x, 1)))
        ),
        max_size=4,
    )
)
def test_render_lays_findings_out_as_indent_2_does(values: list[tuple[str, str, float]]) -> None:
    findings = [
        Finding("REF101", "unknown-npi", Severity.ERROR, "referring", message, fix, score=score)
        for message, fix, score in values
    ]
    assert json_doc.render(sample_result(findings)) == slow_render(findings) + "\n"


def test_render_of_the_sample_matches_the_slow_encoder() -> None:
    findings = sample_findings()
    assert json_doc.render(sample_result(findings)) == slow_render(findings) + "\n"

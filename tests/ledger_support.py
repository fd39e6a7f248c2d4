"""Shared by the ledger, alert and audit tests: findings, results, a real webhook server."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from syncguard.findings import CheckResult, Finding, InputSummary, Severity


def finding(
    key: str,
    *,
    code: str = "PAY101",
    severity: Severity = Severity.ERROR,
    value: str | None = None,
    row: int = 2,
) -> Finding:
    return Finding(
        code=code,
        name="payer-alternate-id-unknown",
        severity=severity,
        entity="payer",
        message=f"No CMD payer has sequence number {value or key}.",
        fix=f"In WebPT > Payers > 'Payer {key}', set Alternate ID to the CMD number.",
        record=f"Payer {key}",
        key=key,
        file="webpt_payers.csv",
        row=row,
        value=value or key,
    )


def mistyped_npi(value: str, row: int, name: str = "Smith, John") -> Finding:
    """NPI002 for a WebPT referring provider whose NPI fails its check digit: with no NPI to
    be known by, it is keyed by its name, which other rows may share."""
    return Finding(
        code="NPI002",
        name="npi-check-digit",
        severity=Severity.ERROR,
        entity="referring",
        message=f"The NPI {value} fails its check digit.",
        fix=f"In WebPT > Referring Providers > '{name}', enter the NPI from NPPES.",
        record=name,
        key=name,
        file="webpt_referring.csv",
        row=row,
        value=value,
    )


def result(
    findings: list[Finding],
    *,
    practice: str = "default",
    started: datetime | None = None,
    command: str = "check",
) -> CheckResult:
    return CheckResult(
        findings=findings,
        inputs=[InputSummary("payers", "webpt_payers.csv", "ab" * 32, len(findings))],
        practice=practice,
        version="test",
        command=command,
        started_at=started or datetime.now(UTC),
    )


@dataclass
class Webhook:
    """A real HTTP server on 127.0.0.1 that answers from a script, then accepts."""

    script: list[tuple[int, dict[str, str]] | str] = field(default_factory=list)
    received: list[dict[str, object]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    delivered: list[dict[str, object]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/hooks/T000/B000/s3cr3t-t0ken") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def webhook_server(script: list[tuple[int, dict[str, str]] | str]) -> Iterator[Webhook]:
    """``script`` items: ``(status, headers)`` or ``"timeout"`` (sleep past the client)."""
    hook = Webhook(script=list(script))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                hook.times.append(time.monotonic())
                hook.received.append(body)
                hook.paths.append(self.path)
                step = hook.script.pop(0) if hook.script else (200, {})
            if step == "timeout":
                time.sleep(1.5)
                step = (503, {})
            status, headers = step  # type: ignore[misc]
            if status == 200:
                hook.delivered.append(body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(b"ok")

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from syncguard.ledger.lock import audit_lock
    from syncguard.registry.schema import open_registry

    engine = open_registry(sys.argv[1])
    with audit_lock(engine, sys.argv[2]):
        Path(sys.argv[3]).write_text("held")
        while not Path(sys.argv[4]).exists():
            time.sleep(0.05)
    """
)


@contextmanager
def held_elsewhere(
    url: str, practice: str, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Another process holding the audit lock until the yielded release file appears."""
    held, release = tmp_path / f"held-{practice}", tmp_path / f"release-{practice}"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, practice, str(held), str(release)],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not held.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield child, release
    finally:
        release.touch()
        if child.poll() is None:
            child.wait(timeout=30)

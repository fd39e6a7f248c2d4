"""Run a command in a child process and measure its wall time and peak memory (max RSS)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable


@dataclass(frozen=True)
class Measurement:
    label: str
    seconds: float
    peak_mib: float
    exit_code: int

    def line(self) -> str:
        return (
            f"{self.label:<48} {self.seconds:8.2f} s  {self.peak_mib:8.0f} MiB"
            f"  exit {self.exit_code}"
        )


def measure(
    label: str,
    command: list[str],
    *,
    cwd: Path | None = None,
    stdin_text: str | None = None,
    stdout_path: Path | None = None,
    env: dict[str, str] | None = None,
) -> Measurement:
    """Time ``command``; ``os.wait4`` gives this child's own peak RSS (in KiB on Linux)."""
    stdout = stdout_path.open("wb") if stdout_path else subprocess.DEVNULL
    environment = {**os.environ, **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=environment,
    )
    if stdin_text is not None:
        assert process.stdin is not None
        process.stdin.write(stdin_text.encode())
        process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        stdout.close()  # type: ignore[union-attr]
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        print(f"  [{label}] exit {process.returncode}: {stderr.strip()[-2000:]}", file=sys.stderr)
    return Measurement(label, seconds, usage.ru_maxrss / 1024, process.returncode)


def fastest(runs: int, label: str, command: list[str], **options: object) -> Measurement:
    """The fastest of ``runs`` runs of ``command`` (the usual way to time a whole command: the
    slower runs measure what else the machine was doing), with the highest peak memory."""
    results = [measure(label, command, **options) for _ in range(runs)]  # type: ignore[arg-type]
    best = min(results, key=lambda result: result.seconds)
    return Measurement(label, best.seconds, max(r.peak_mib for r in results), best.exit_code)


def settle() -> None:
    """Write generated files out to disk before timing, so no run pays for another's writes."""
    os.sync()


def syncguard(*args: str) -> list[str]:
    return [PYTHON, "-m", "syncguard", *args]


def python_code(code: str) -> list[str]:
    return [PYTHON, "-c", code]


def ratio(numerator: Measurement, denominator: Measurement) -> str:
    return f"{numerator.seconds / denominator.seconds:.2f}x"

"""Email alerts against a real SMTP server on loopback (aiosmtpd) that requires STARTTLS and a
login; its certificate is made by the test (openssl) and trusted through ``ca_file``."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from ledger_support import finding, result

from syncguard.config import AlertSettings, Settings
from syncguard.ledger.alerts.dispatch import send_alerts
from syncguard.ledger.alerts.state import deliveries
from syncguard.ledger.hooks import after_run
from syncguard.registry.schema import open_registry

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

PASSWORD = "mail-pa55word"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        good = isinstance(auth_data, LoginPassword) and auth_data.password.decode() == PASSWORD
        if good:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=good, handled=False)


@pytest.fixture
def smtp_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = aiosmtpd.Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=inbox.authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def email_settings(port: int, ca_file: Path | None, **channel: object) -> AlertSettings:
    return AlertSettings.model_validate(
        {
            "attempts": 2,
            "backoff_initial": 0.01,
            "timeout": 5,
            "channels": {
                "mail": {
                    "type": "email",
                    "host": "127.0.0.1",
                    "port": port,
                    "sender": "syncguard@example.com",
                    "to": ["billing@example.com"],
                    "username": "syncguard",
                    "password_env": "SG_TEST_SMTP_PASSWORD",
                    "ca_file": ca_file,
                    **channel,
                }
            },
        }
    )


def test_email_over_starttls_with_login(
    database_url: str, smtp_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = smtp_server
    engine = open_registry(database_url, create=True)
    try:
        recorded = after_run(engine, result([finding("A")]), settings=Settings())
        outcome = send_alerts(
            engine,
            recorded,
            run_id=int(str(recorded.extra["run_id"])),
            scope="s",
            channels=["mail"],
            settings=email_settings(port, certificate[0]),
            environ={"SG_TEST_SMTP_PASSWORD": PASSWORD},
            report="audit.html",
        )[0]
    finally:
        engine.dispose()
    assert outcome.error is None
    assert inbox.logins == ["syncguard"] and len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["Subject"] == "syncguard check, practice default: 1 new"
    body = mail.get_payload()
    assert "PAY101" in body and "Fix:" in body and "Full report: audit.html" in body
    assert PASSWORD not in body


def test_untrusted_certificate_fails_at_once(
    database_url: str, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    engine = open_registry(database_url, create=True)
    try:
        recorded = after_run(engine, result([finding("A")]), settings=Settings())
        run_id = int(str(recorded.extra["run_id"]))
        outcome = send_alerts(
            engine,
            recorded,
            run_id=run_id,
            scope="s",
            channels=["mail"],
            settings=email_settings(port, None),
            environ={"SG_TEST_SMTP_PASSWORD": PASSWORD},
        )[0]
        attempts = deliveries(engine, run_id)
    finally:
        engine.dispose()
    assert outcome.error is not None and "TLS failed" in outcome.error
    assert [a.outcome for a in attempts] == ["failed"]  # not retried: it would fail again
    assert inbox.messages == []


def test_wrong_password_is_final(
    database_url: str, smtp_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    _, port = smtp_server
    engine = open_registry(database_url, create=True)
    try:
        recorded = after_run(engine, result([finding("A")]), settings=Settings())
        outcome = send_alerts(
            engine,
            recorded,
            run_id=None,
            scope="s",
            channels=["mail"],
            settings=email_settings(port, certificate[0]),
            environ={"SG_TEST_SMTP_PASSWORD": "wrong-secret"},
        )[0]
    finally:
        engine.dispose()
    assert outcome.error is not None and "535" in outcome.error and outcome.attempts == 1
    assert "wrong-secret" not in outcome.error

"""Email over SMTP with STARTTLS (``smtplib``); the password comes from the environment only.

SMTP's own reply classes decide retries: 4xx is "try again later" (transient), 5xx is final, and
so are a certificate that does not verify and a server that does not offer STARTTLS.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from syncguard.ledger.alerts.delivery import DeliveryError
from syncguard.ledger.alerts.message import AlertMessage


@dataclass(frozen=True)
class EmailChannel:
    name: str
    host: str
    port: int
    sender: str
    to: list[str]
    timeout: float
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    verify: bool = True

    def send(self, message: AlertMessage) -> str | None:
        where = f"SMTP server {self.host}:{self.port}"
        try:
            return self._send(self._email(message))
        except ssl.SSLError as error:
            raise DeliveryError(
                f"{where}: TLS failed: {error.reason or error}", transient=False
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(f"{where} does not offer STARTTLS", transient=False) from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            transient = all(400 <= code < 500 for code in codes)
            status = str(codes[0]) if codes else None
            raise DeliveryError(
                f"{where} refused every recipient ({status})", transient=transient, status=status
            ) from None
        except smtplib.SMTPResponseException as error:
            reply = error.smtp_error
            if isinstance(reply, bytes):
                reply = reply.decode(errors="replace")
            raise DeliveryError(
                f"{where} answered {error.smtp_code} {reply}".strip(),
                transient=400 <= error.smtp_code < 500,
                status=str(error.smtp_code),
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            reason = str(error) or type(error).__name__
            raise DeliveryError(f"cannot reach {where}: {reason}", transient=True) from None

    def _send(self, email: EmailMessage) -> str:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.ehlo()
            if self.starttls:
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)
        return "250"

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        if not self.verify:
            # Only for a relay inside the network with a self-signed certificate, by choice.
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _email(self, message: AlertMessage) -> EmailMessage:
        email = EmailMessage()
        email["Subject"] = message.title
        email["From"] = self.sender
        email["To"] = ", ".join(self.to)
        email.set_content("\n".join([message.title, "", *message.lines()]) + "\n")
        return email

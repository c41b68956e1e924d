"""Optional e-mail copies of the weekly digest and of complaint alerts (``[email]``, off by
default), over SMTP with STARTTLS.

``smtplib`` runs in a worker thread so the event loop never waits on a mail server. Sending is
best effort: a refused or unreachable server is logged (without addresses or content) and
the caller goes on; the chat deliveries remain the record of what was sent.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import make_msgid

from bot.settings import EmailSettings

log = logging.getLogger(__name__)


class Mailer:
    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    async def alert(self, subject: str, body: str) -> bool:
        """A complaint alert to ``complaints_to``."""
        return await self.send(self.settings.complaints_to, subject, body)

    async def digest(self, subject: str, body: str, chart_png: bytes | None = None) -> bool:
        """The weekly digest to ``digest_to``, with the chart attached when there is one."""
        return await self.send(self.settings.digest_to, subject, body, chart_png)

    async def send(
        self, to: Sequence[str], subject: str, body: str, png: bytes | None = None
    ) -> bool:
        if not to:
            return False
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = ", ".join(to)
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2] or None)
        message.set_content(body)
        if png is not None:
            message.add_attachment(png, maintype="image", subtype="png", filename="chart.png")
        try:
            await asyncio.to_thread(self._deliver, message)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("an e-mail could not be sent (%s): %s", type(exc).__name__, exc)
            return False
        return True

    def _deliver(self, message: EmailMessage) -> None:
        settings = self.settings
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message)


def mailer_for(settings: EmailSettings) -> Mailer | None:
    """A mailer when e-mail is enabled, else None (nothing is mailed)."""
    return Mailer(settings) if settings.enabled else None

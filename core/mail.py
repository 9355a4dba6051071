"""The development server's e-mail: written to the console as a person reads it."""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """Django's console backend writes each message as sent on the wire, its Chinese body in
    base64; this one writes the headers a person looks at and the text itself."""

    def write_message(self, message):
        self.stream.write(
            f"E-mail to {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n"
            f"{message.body.rstrip()}\n"
        )
        self.stream.write("-" * 79 + "\n")

"""Test doubles at true external edges: a client's request body, and a real SMTP server."""
import contextlib
import email
import email.policy
import socket


class CountingStream:
    """A request body of ``size`` bytes produced lazily, counting what the server reads."""

    def __init__(self, size):
        self.size, self.position, self.read_bytes = size, 0, 0

    def read(self, n=-1):
        n = self.size - self.position if n is None or n < 0 else min(n, self.size - self.position)
        self.position += n
        self.read_bytes += n
        return b"x" * n

    def readline(self, n=-1):
        return self.read(min(n, 1024) if n and n > 0 else 1024)

    def tell(self):
        return self.position

    def seek(self, offset, whence=0):
        # The test client seeks to the end once to learn the length: moving is not reading.
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position


class SmtpInbox:
    """An aiosmtpd handler keeping what a real SMTP conversation delivered."""

    def __init__(self):
        self.envelopes = []

    @property
    def messages(self):
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def counted_queries(engine):
    """Collect the SQL statements ``engine`` runs inside the block."""
    from sqlalchemy import event

    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def text_of(response):
    """The response body as text, HTML entities decoded (Jinja escapes quotes and ampersands)."""
    import html

    return html.unescape(response.get_data(as_text=True))


def xlsx_bytes(rows, headers):
    """The bytes of a workbook holding ``headers`` then ``rows`` exactly as given (no normalisation)."""
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append(values)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

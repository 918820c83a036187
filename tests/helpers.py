"""Test doubles at true external edges (a client's request body, a real SMTP server), and reading what it received."""
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


def mail_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def mailed_link(inbox, to, path_part="/register/confirm/"):
    """The last link containing ``path_part`` in the e-mails ``inbox`` received for ``to``."""
    import re

    pattern = re.compile(r"https?://[^\s\"<>]+" + re.escape(path_part) + r"[A-Za-z0-9_\-]+")
    links = [match.group(0) for message in inbox.messages if message["To"] == to
             for match in pattern.finditer(mail_text(message))]
    assert links, f"no e-mail to {to} with a {path_part} link"
    return links[-1]


@contextlib.contextmanager
def mail_written_to_log():
    """Collect the e-mails that development mail (``MAIL_TO_LOG``, no ``MAIL_SERVER``) writes to the log."""
    import logging

    texts = []

    class Collect(logging.Handler):
        def emit(self, record):
            if "MAIL_SERVER is not set" in record.getMessage():
                texts.append(record.getMessage())

    handler, logger = Collect(logging.WARNING), logging.getLogger("voting")
    logger.addHandler(handler)
    try:
        yield texts
    finally:
        logger.removeHandler(handler)


def register_producer_through_the_form(client, address, password, inbox=None, **fields):
    """Fill in the registration form, open the link mailed to ``address`` (through ``inbox``, an SMTP
    sink, or else from the log) and confirm: ``client`` is then signed in as the new producer.

    Returns the confirmation's response (a redirect to the producer's home).
    """
    import re

    from tests.conftest import csrf_token

    form = {"full_name": "Hoàng Văn Thắng", "email": address, "phone": "0912345678",
            "password": password, "password2": password, "csrf_token": csrf_token(client, "/register")}
    form.update(fields)
    with mail_written_to_log() as logged:
        response = client.post("/register", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/login", response.status_code
    if inbox is not None:
        link = mailed_link(inbox, address)
    else:
        (text,) = logged
        assert f"To: {address}" in text
        link = re.search(r"https?://\S+/register/confirm/[A-Za-z0-9_\-]+", text).group(0)
    return confirm_through_link(client, link)


def confirm_through_link(client, link):
    """Open a confirmation link and press its button."""
    from urllib.parse import urlsplit

    from tests.conftest import csrf_from

    path = urlsplit(link).path
    page = client.get(path)
    if page.status_code != 200:
        return page
    return client.post(path, data={"csrf_token": csrf_from(page)})


#: The round's scoring settings form (/organiser/rounds/<id>/scoring-settings) as a browser sends it, filled in.
SCORING_SETTINGS_FORM = {
    "point_step": "0.5", "pass_mark": "70", "min_sheets_per_entry": "3", "council_quorum": "3",
    "second_stage_rule": "all_passing", "second_stage_weight": "1", "outlier_mad_factor": "3",
    "outlier_min_spread": "10", "vote_majority": "half", "complaint_window_days": "10",
    "certificate_validity_months": "36", "signer_name": "Nguyễn Văn Bình", "signer_title": "Phó Chủ tịch",
    "step_order": "announce_first", "validity_from": "decision"}

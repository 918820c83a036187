"""Outgoing e-mail over SMTP, when a server is configured (or, in development, into the log)."""
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template

from voting.extensions import db
from voting.models import User
from voting.models.base import utcnow
from voting.core.security import public_url


def mail_configured():
    return bool(current_app.config.get("MAIL_SERVER"))


def mail_to_log():
    """True when e-mail is written to the log instead of sent: ``MAIL_TO_LOG`` and no ``MAIL_SERVER``.

    Development's default, so that ``make run`` can register a producer (the confirmation link is
    in the server's output); production refuses the setting.
    """
    return not mail_configured() and bool(current_app.config.get("MAIL_TO_LOG"))


def can_send_mail():
    """Whether a message that someone must receive (a confirmation link) can reach them."""
    return mail_configured() or mail_to_log()


def send_mail(to, subject, body):
    """Send a plain-text message; return False when it cannot be sent (no SMTP server configured).

    With :func:`mail_to_log` the message goes to the application log instead (and True is returned).
    """
    config = current_app.config
    if not mail_configured():
        if mail_to_log():
            # WARNING, so that it shows at every LOG_LEVEL a developer uses.
            current_app.logger.warning("MAIL_SERVER is not set: this e-mail was not sent (MAIL_TO_LOG).\n"
                                       "To: %s\nSubject: %s\n\n%s", to, subject, body)
            return True
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True


def deliver_emails(notifications):
    """E-mail copies of committed notifications, and record when each was sent; failures are logged,
    never raised.

    Called by the view or command after its commit, so a message never describes a change that was
    rolled back, and a mail server that fails loses nothing: the inbox is the record, e-mail only a
    courtesy. The ``emailed_at`` marks are committed here, in a transaction of their own.
    """
    if not mail_configured():
        return 0
    sent = 0
    for note in notifications:
        user = db.session.get(User, note.user_id)
        link = public_url("account.inbox")
        try:
            send_mail(user.email, render_template("notifications/subject.txt", note=note).strip(),
                      render_template("notifications/email.txt", note=note, user=user, link=link))
        except (smtplib.SMTPException, OSError) as error:
            current_app.logger.warning("could not e-mail notification %s: %s", note.id, error)
            continue
        note.emailed_at = utcnow()
        sent += 1
    db.session.commit()
    return sent

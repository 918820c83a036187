"""Flask-Login on server-side sessions (:mod:`voting.operations.sessions`).

Signing in starts a ``UserSession`` row whose token is Flask-Login's id (in the session cookie and
the "remember me" cookie); :func:`load_user` accepts a cookie only while its row lives, so a
cookie copied before a sign-out signs nobody in afterwards.
"""
import re

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from voting.extensions import db
from voting.operations.sessions import note_activity, session_for, start_session

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("coc_coc_browser", "Cốc Cốc"), ("Zalo", "Zalo"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), (re.compile(r"iPhone|iPad|iPod"), "iOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe_client(user_agent):
    """A short name for the browser, e.g. ``"Firefox · Windows"``, for the owner's list of sessions."""
    def first(table):
        for marker, name in table:
            if (marker.search(user_agent) if isinstance(marker, re.Pattern) else marker in user_agent):
                return name
        return None

    user_agent = user_agent or ""
    parts = [part for part in (first(_BROWSERS), first(_SYSTEMS)) if part]
    return " · ".join(parts) if parts else user_agent[:60]


def sign_in(user, remember=False):
    """Start a session of ``user`` for this browser (the caller commits) and sign the browser in with it."""
    start_session(user, remember=remember, client=describe_client(request.headers.get("User-Agent", "")),
                  address=request.remote_addr or "")
    login_user(user, remember=remember)


def load_user(login_id):
    """Flask-Login's user loader: the account of the live session ``login_id`` names, or None."""
    row = session_for(login_id)
    if row is None:
        return None
    user = row.user
    user.login_id, user.signed_in_session = login_id, row
    return user


def note_session_activity():
    """Before each request of a signed-in browser: its session's "last seen", written now and then.

    Early in the request, so that the commit carries nothing else.
    """
    if request.endpoint == "static" or not may_be_signed_in() or not current_user.is_authenticated:
        return
    if note_activity(current_user.signed_in_session):
        db.session.commit()


def may_be_signed_in():
    """Whether the request carries a session or remember-me cookie; without either it is anonymous, and
    asking Flask-Login (``current_user``) would cost a verifier's scan or an API call a tenth of a
    millisecond for nothing (issue 20)."""
    config = current_app.config
    return (config["SESSION_COOKIE_NAME"] in request.cookies
            or config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the cookie's signer for a request that has no
    cookie (a scan, an API call): Flask makes it before looking for the cookie, about a twentieth of a
    verification's CPU (issue 20). A request with the cookie is read exactly as Flask reads it."""

    def open_session(self, app, request):
        if app.secret_key and app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_login_sessions(app):
    from voting.extensions import login_manager

    app.session_interface = CookieSessions()
    login_manager.user_loader(load_user)
    app.before_request(note_session_activity)

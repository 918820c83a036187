"""HTTP security headers and safe redirects."""
from urllib.parse import urlsplit

from flask import current_app
from flask_talisman import Talisman

# No inline scripts or styles at all, no external origins: every asset is ours.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_security_headers(app):
    """Attach Flask-Talisman with this app's settings.

    Talisman keeps its settings on the extension object, so each app gets its
    own instance (a shared one would leak production settings between apps).
    """
    config = app.config
    # After-request hooks run last-registered first: this one runs after Talisman's, that one before.
    app.after_request(_restore_own_policy)
    app.extensions["talisman"] = Talisman(
        app,
        force_https=config.get("FORCE_HTTPS", False),
        strict_transport_security=config.get("HSTS", False),
        strict_transport_security_max_age=31536000,
        strict_transport_security_include_subdomains=True,
        session_cookie_secure=config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "()"},
        x_content_type_options=True,
    )
    app.after_request(_note_own_policy)


# A response that sets its own Content-Security-Policy keeps it: a stored upload is served with
# "default-src 'none'; sandbox", which Talisman would otherwise replace with the site's policy
# (under which a stored file could run scripts as the site).
_OWN_POLICY = "cnnt_own_content_security_policy"


def _note_own_policy(response):
    policy = response.headers.get("Content-Security-Policy")
    if policy:
        setattr(response, _OWN_POLICY, policy)
    return response


def _restore_own_policy(response):
    policy = getattr(response, _OWN_POLICY, None)
    if policy:
        response.headers["Content-Security-Policy"] = policy
    return response


def plain_http_allowed(view):
    """Let ``view`` answer plain HTTP where ``FORCE_HTTPS`` redirects every other request.

    For ``/healthz``: a load balancer or monitor probing a server directly must get 200 or 503, not a
    redirect to HTTPS. Talisman reads per-view options from this attribute (and fills in its
    defaults there, which are the same for every app built here).
    """
    view.talisman_view_options = {"force_https": False}
    return view


def safe_next(target, fallback):
    """Return ``target`` if it is a path on this site, else ``fallback``.

    Only absolute paths are accepted: no scheme, no host, no protocol-relative
    ``//host`` and no backslash tricks that browsers read as ``//``.
    """
    if not target or not isinstance(target, str):
        return fallback
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(ord(ch) < 32 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def public_base_url():
    """The permanent public address (``PUBLIC_BASE_URL``), without a trailing slash.

    Every absolute link (e-mails, QR codes, documents, the API's links) is built on it and never
    on the request: a Host header is whatever the client sent, and a password-reset link built
    on ``Host: evil.example`` would hand the token to that host.
    """
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def public_url(endpoint, **values):
    """The absolute URL of ``endpoint`` on the public address, in a request or outside one (CLI, jobs)."""
    base = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)

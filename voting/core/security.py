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


#: The site's policy as its header reads, built once (Talisman would rebuild it from the mapping on
#: every response: issue 20's middleware cost).
SITE_POLICY = "; ".join(f"{directive} {sources}" for directive, sources in CONTENT_SECURITY_POLICY.items())


def init_security_headers(app):
    """Attach Flask-Talisman with this app's settings, and the site's Content-Security-Policy.

    Talisman keeps its settings on the extension object, so each app gets its
    own instance (a shared one would leak production settings between apps).
    """
    config = app.config
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
        content_security_policy=None,  # set below, once built
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "()"},
        x_content_type_options=True,
    )
    app.after_request(_site_policy_unless_own)


def _site_policy_unless_own(response):
    """The site's policy on every response that does not set its own: a stored upload is served with
    "default-src 'none'; sandbox", under which it cannot run scripts as the site."""
    response.headers.setdefault("Content-Security-Policy", SITE_POLICY)
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

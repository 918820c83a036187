"""Which host names the app answers to.

A request's ``Host`` header is whatever the client sent. Where ``CHECK_HOST`` is on (production, or
wherever ``INTERNAL_HOSTS`` is set), Flask's ``TRUSTED_HOSTS`` is the host of ``PUBLIC_BASE_URL`` and
the ``INTERNAL_HOSTS``: a request naming any other host gets a short 400 before anything is built
on its name (a page, a redirect, a link). The internal names, by which a load balancer or a monitor
reaches one server past the proxy, answer ``/healthz`` and nothing else: the site is served under
its public name only.
"""
from urllib.parse import urlsplit

from flask import make_response, request
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import host_is_trusted

HEALTH_ENDPOINT = "api.healthz"


class InternalNameRefused(SecurityError):
    """A page other than the health check asked for under an internal name."""


def init_hosts(app):
    """Set ``TRUSTED_HOSTS`` from the settings, and refuse what the internal names must not serve.

    Registered before the other extensions' hooks, so that a refused request goes no further (no
    HTTPS redirect naming its host, no session, no CSRF check).
    """
    config = app.config
    internal = list(config.get("INTERNAL_HOSTS") or ())
    if not (config.get("CHECK_HOST") or internal) or config.get("TRUSTED_HOSTS") is not None:
        return
    public = urlsplit(config["PUBLIC_BASE_URL"]).hostname
    config["TRUSTED_HOSTS"] = [public, *internal]

    @app.before_request
    def internal_names_answer_the_health_check_only():
        if request.endpoint == HEALTH_ENDPOINT or host_is_trusted(request.host, [public]):
            return
        if host_is_trusted(request.host, internal):
            raise InternalNameRefused()

    app.register_error_handler(SecurityError, refuse_host)


def refuse_host(error):
    """A short plain answer: never a page, whose links and redirects would be built on the host named."""
    if isinstance(error, InternalNameRefused):
        message = _("Địa chỉ nội bộ này chỉ trả lời /healthz; trang web ở địa chỉ công khai.")
    else:
        message = _("Yêu cầu không hợp lệ: máy chủ không phục vụ tên miền được yêu cầu.")
    response = make_response(message + "\n", 400)
    response.mimetype = "text/plain"
    response.headers["Cache-Control"] = "no-store"
    return response

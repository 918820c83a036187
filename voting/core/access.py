"""Access rules declared on every view; anything undeclared is refused.

Each view function carries an ``access_rule`` attribute set by one of the
decorators below. :func:`enforce_declared_access` runs before every request
and refuses endpoints without a rule, so a forgotten decorator fails closed.
"""
from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from voting.models import Role

#: Flask's own endpoints that serve public files.
BUILTIN_PUBLIC_ENDPOINTS = {"static"}


def _declare(rule, check):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            check()
            return view(*args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def public(view):
    """Anyone, signed in or not."""
    view.access_rule = "public"
    return view


def _require_login():
    if not current_user.is_authenticated:
        # Flask-Login's handler redirects to the login page with ``next``.
        raise _Unauthenticated()


class _Unauthenticated(Exception):
    pass


def login_required(view):
    """Any signed-in account."""
    return _declare("login", _require_login)(view)


def roles_required(*roles):
    """A signed-in account holding one of ``roles``."""
    allowed = {str(r) for r in roles}

    def check():
        _require_login()
        if current_user.role not in allowed:
            abort(403)

    return _declare("roles:" + ",".join(sorted(allowed)), check)


admin_required = roles_required(Role.ADMIN)
organiser_required = roles_required(Role.ORGANISER)
juror_required = roles_required(Role.JUROR)
producer_required = roles_required(Role.PRODUCER)


def enforce_declared_access():
    """Refuse any endpoint whose view declares no access rule."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(endpoint)
    if getattr(view, "access_rule", None) is None:
        current_app.logger.error("endpoint %s declares no access rule; refused", endpoint)
        abort(403)
    return None


def register_access_control(app, login_manager):
    app.before_request(enforce_declared_access)

    @app.errorhandler(_Unauthenticated)
    def _unauthenticated(_error):
        return login_manager.unauthorized()

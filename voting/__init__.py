"""CNNT tiêu biểu: the selection of typical rural industrial products.

:func:`create_app` builds the Flask application in named steps.

Holds the app factory (create_app), which imports what it wires: voting's extensions and
blueprints, and certificates through its single certificates.init_app(app). Only wsgi.py, the
tests and the benchmarks import create_app; the job runner is handed it.
"""
import logging
from pathlib import Path

from flask import request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import INSTANCE_DIR, ROOT, Config, config_from_environment
from voting.core.application import Application
from voting.core.error_reporting import init_error_reporting
from voting.core.hosts import init_hosts
from voting.core.request_log import init_request_log
from voting.core.routing import init_routing

__all__ = ["create_app"]


def create_app(config=None):
    """Create the application.

    :param config: a :class:`config.Config` instance, or a mapping of
        overrides applied on top of the configuration the environment names.
    """
    if isinstance(config, Config):
        settings = config
        overrides = {}
    else:
        settings = config_from_environment()
        overrides = dict(config or {})
    settings.check()

    app = Application(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    init_routing(app)  # before any route exists
    app.config.from_object(settings)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.getLogger("voting").setLevel(app.config.get("LOG_LEVEL", "INFO"))
    init_request_log(app)
    init_error_reporting(app)
    init_hosts(app)  # before the extensions' request hooks: a request naming a foreign host goes no further

    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    register_extensions(app)
    from voting.core import background

    background.init_app(app, create_app)  # a job's own process builds its app with this factory
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app):
    from voting import models  # noqa: F401  (every model on the metadata)
    from voting.core.access import register_access_control
    from voting.extensions import babel, csrf, db, limiter, login_manager, migrate
    from voting.core.login_sessions import init_login_sessions
    from voting.core.security import init_security_headers
    from voting.core.translations import init_translations
    from voting.core.cache import init_cache
    from voting.core.idle_ping import init_idle_ping
    from voting.core.storage import init_storage
    from voting.core.pades.settings import init_app as init_document_signers

    from voting.views.files import apply_upload_limit

    init_storage(app)  # a storage setting that cannot work stops the start, with the reason
    init_document_signers(app)  # so does a DOCUMENT_SIGNERS_FILE that cannot be used
    init_cache(app)
    db.init_app(app)
    with app.app_context():
        # A server's connections can die in the pool (a restart, a failover): one idle a while is tested first.
        init_idle_ping(app, db.engine)
    # Registered before CSRFProtect, whose check reads the request body.
    app.before_request(apply_upload_limit)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    init_translations(app, babel)
    init_rate_limits(app, limiter)
    init_security_headers(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"
    # Flask-Login's id "<user id>:<session token>" names a server-side session row (voting/core/login_sessions.py).
    init_login_sessions(app)
    register_access_control(app, login_manager)


def init_rate_limits(app, limiter):
    """Bind Flask-Limiter, checking limits only on the routes that declare one.

    Every limit here sits on its route's decorator (``default_limits=[]``, no application limits), and
    the decorator runs its own check. Flask-Limiter 4 dropped ``auto_check``, so its app-wide
    ``before_request`` hook would still look up limits on every request only to find none: a second
    check on limited routes (the issue measured Flask-Limiter at a third of ``/api/v1/ping``'s CPU).
    """
    from voting.core.rate_limit_store import cache_parsed_limits  # also registers swept-memory:// with limits

    cache_parsed_limits()
    limiter.init_app(app)
    if limiter.limit_manager.default_limits or limiter.limit_manager.application_limits:
        return  # a limit for every route needs the hook
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # absent when RATELIMIT_ENABLED is off
        hooks.remove(limiter._check_request_limit)


def select_locale():
    from flask import current_app, has_request_context

    # Documents rendered by a CLI command or a worker have no request: the default language.
    chosen = request.cookies.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, WAL journal and a busy timeout for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def register_blueprints(app):
    import certificates
    from voting.views import account, admin, api, auth, council, jury, organiser, producer, public, results

    for module in (public, api, auth, account, producer, jury, council, organiser, admin, results):
        app.register_blueprint(module.blueprint)
    # The one place voting reaches certificates: its blueprints, commands, listeners and job tasks.
    certificates.init_app(app)


def register_errorhandlers(app):
    from voting.views.errors import register

    register(app)


def register_template_helpers(app):
    from voting.core.formatting import register_filters
    from voting.core.code_labels import register_labels
    from voting.views.context import register_context

    register_filters(app)
    register_labels(app)
    register_context(app)


def register_commands(app):
    from voting.cli import register

    register(app)

"""Configuration classes, read from the environment when instantiated.

:func:`voting.create_app` picks the class named by ``CNNT_CONFIG``
(``development`` by default, ``testing`` or ``production``), instantiates it
(which reads the environment at that moment) and checks it. Every setting is
listed with its environment variable in README.md; keep the two in step.
"""
import os
import re
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = ROOT / "instance"


def demo_signers_file(signing_key_file):
    """The demo's signers file (development only), beside the signing key: the demo's first run makes it
    (voting/demo/pki.py), and a server or a test with a key folder of its own gets one of its own."""
    return Path(signing_key_file).parent / "demo-pki" / "signers.toml"


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def _env(name, default=""):
    return os.environ.get(name, default)


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def _env_list(name):
    """A comma-separated setting as a list of its non-empty items, lower-cased (host names)."""
    return [item.strip().lower() for item in os.environ.get(name, "").split(",") if item.strip()]


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Tie the CSRF token to the session rather than a clock, so that a producer
    # who takes an hour over a form does not lose it.
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_HEADERS_ENABLED = True
    PASSWORD_HASH_FAST = False
    FORCE_HTTPS = False
    HSTS = False
    DEFAULT_SECURE_COOKIES = False
    # Without MAIL_SERVER, write the e-mails a person must receive (registration confirmations)
    # to the log instead of sending them: the demo stays usable. Never in production (it would
    # put one-time links in the log).
    DEFAULT_MAIL_TO_LOG = False
    #: The longest a "remember me" cookie (and its server-side session) may last.
    MAX_REMEMBER_DAYS = 30
    # Answer only requests naming PUBLIC_BASE_URL's host or one of INTERNAL_HOSTS (voting/core/hosts.py).
    # Production always; elsewhere once INTERNAL_HOSTS is set.
    CHECK_HOST = False

    def __init__(self):
        self.SECRET_KEY = _env("SECRET_KEY") or None
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL") or self.default_database_url()
        # A pooled connection idle this long is tested before use (voting/core/idle_ping.py); 0: every time.
        self.DATABASE_PING_AFTER_IDLE_SECONDS = _env_int("DATABASE_PING_AFTER_IDLE_SECONDS", 5)
        # The permanent public address: QR codes, e-mailed links and documents are built on it, never
        # on the request's Host header. Required in production; elsewhere the address served.
        self.PUBLIC_BASE_URL = (_env("PUBLIC_BASE_URL") or self.default_public_base_url()).rstrip("/")
        # The other names (or IPv4 addresses) by which a load balancer or a monitor reaches one server,
        # e.g. "app-1,10.0.0.11": they answer /healthz and nothing else.
        self.INTERNAL_HOSTS = _env_list("INTERNAL_HOSTS")
        self.MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
        self.UPLOAD_DIR = _env("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")
        # Issued certificate PDFs, written once each and served from here afterwards.
        self.CERTIFICATE_DIR = _env("CERTIFICATE_DIR") or str(INSTANCE_DIR / "certificates")
        # Files made by background exports, kept for download.
        self.EXPORT_DIR = _env("EXPORT_DIR") or str(INSTANCE_DIR / "exports")
        # "local": the three folders above; "s3": one S3-compatible bucket instead (object key
        # f"{S3_PREFIX}{area}/{key}"), credentials from the AWS_* variables (boto3's usual chain).
        self.FILE_STORAGE = _env("FILE_STORAGE", "local").strip().lower() or "local"
        self.S3_BUCKET = _env("S3_BUCKET")
        self.S3_ENDPOINT_URL = _env("S3_ENDPOINT_URL") or None  # MinIO or another S3-compatible service
        self.S3_REGION = _env("S3_REGION") or None
        self.S3_PREFIX = _env("S3_PREFIX")
        self.UPLOAD_MAX_PHOTO_MB = _env_int("UPLOAD_MAX_PHOTO_MB", 10)
        self.UPLOAD_MAX_DOCUMENT_MB = _env_int("UPLOAD_MAX_DOCUMENT_MB", 20)
        self.UPLOAD_MAX_PIXELS = _env_int("UPLOAD_MAX_PIXELS", 40_000_000)
        # The Ed25519 private key that signs certificate tokens (PEM, mode 0600).
        self.SIGNING_KEY_FILE = _env("SIGNING_KEY_FILE") or self.default_signing_key_file()
        # The issuing authorities' PAdES keys (PKCS#12 files or PKCS#11 tokens) and the trust roots, in a TOML file
        # (voting/core/pades/settings.py, docs/deploy.md). Unset: documents are issued without a digital signature.
        self.DOCUMENT_SIGNERS_FILE = _env("DOCUMENT_SIGNERS_FILE") or self.default_document_signers_file()
        secure = _env_bool("SESSION_COOKIE_SECURE", self.DEFAULT_SECURE_COOKIES)
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("SESSION_HOURS", 12))
        # "Ghi nhớ đăng nhập": the cookie and the session it names end after this many days (at most 30).
        self.REMEMBER_DAYS = _env_int("REMEMBER_DAYS", self.MAX_REMEMBER_DAYS)
        self.REMEMBER_COOKIE_DURATION = timedelta(days=self.REMEMBER_DAYS)
        # How many reverse proxies (nginx, a load balancer) stand in front of the app and set
        # X-Forwarded-For/-Proto. 0 (the default) trusts no such header: a client could forge it.
        # Behind nginx set 1, else every client shares the proxy's address (and rate limit).
        self.TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
        # Rate-limit budgets: per process in memory, or shared by every worker and server in Redis
        # (REDIS_URL, or a store of its own named here).
        # swept-memory:// is limits' memory:// without a thread started per request (voting/core/rate_limit_store.py).
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or _env("REDIS_URL") or "swept-memory://"
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        self.LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute;60 per hour")
        # Wrong passwords in a row for one account from one client address (an IPv6 /64) that hold
        # that address off the account (0: never), and for how long. The owner, from elsewhere,
        # still signs in: a stranger cannot lock anyone out.
        self.LOCKOUT_THRESHOLD = _env_int("LOCKOUT_THRESHOLD", 10)
        self.LOCKOUT_MINUTES = _env_int("LOCKOUT_MINUTES", 15)
        # Registration e-mails (a confirmation link, or "this address already has an account") to
        # one address, whoever asks: nobody can flood a mailbox through the registration form.
        self.REGISTRATION_MAIL_LIMIT = _env("REGISTRATION_MAIL_LIMIT", "3 per hour;10 per day")
        # The public verification page and API, and the "report a suspected fake" form, per client.
        self.VERIFY_RATE_LIMIT = _env("VERIFY_RATE_LIMIT", "60 per minute;1000 per hour")
        self.REPORT_RATE_LIMIT = _env("REPORT_RATE_LIMIT", "5 per hour;20 per day")
        # The public check of a dropped PDF (/verify/document): per client address, and the seconds its reading
        # may take before it is stopped.
        self.DOCUMENT_CHECK_RATE_LIMIT = _env("DOCUMENT_CHECK_RATE_LIMIT", "10 per minute;60 per hour")
        self.DOCUMENT_CHECK_SECONDS = _env_int("DOCUMENT_CHECK_SECONDS", 20)
        # The open data API and the registry's CSV (a whole-registry file: a tighter budget), per client.
        self.REGISTRY_API_RATE_LIMIT = _env("REGISTRY_API_RATE_LIMIT", "120 per minute;3000 per hour")
        self.REGISTRY_CSV_RATE_LIMIT = _env("REGISTRY_CSV_RATE_LIMIT", "10 per minute;100 per day")
        # Scans are counted in memory (or in Redis when REDIS_URL is set) and written at most this often.
        self.REDIS_URL = _env("REDIS_URL")
        # Background jobs (issuance, re-issuance, bulk exports): with REDIS_URL, onto this RQ queue,
        # served by `flask --app wsgi jobs worker`; JOBS_RUNNER=process keeps the built-in runner
        # (a process per job on the app server) even with Redis.
        # Error reporting (voting/core/error_reporting.py): a Sentry-compatible DSN, and the release it names.
        self.SENTRY_DSN = _env("SENTRY_DSN")
        self.RELEASE = _env("RELEASE")
        # The shared cache (voting/core/cache.py) lives in REDIS_URL under this prefix.
        self.CACHE_KEY_PREFIX = _env("CACHE_KEY_PREFIX", "cnnt:cache:")
        self.JOBS_QUEUE = _env("JOBS_QUEUE", "cnnt")
        self.JOBS_RUNNER = _env("JOBS_RUNNER", "auto")
        # A running job's runner beats every sixth of this many seconds; a job whose heartbeat has stopped
        # this long (its process or worker was killed) is marked failed and may be resumed. Give the
        # web servers and the workers the same value.
        self.JOB_HEARTBEAT_TIMEOUT = _env_int("JOB_HEARTBEAT_TIMEOUT", 60)
        # Certificates numbered, rendered (as one PDF) and stored per step of an issuance job.
        self.ISSUE_BATCH_SIZE = _env_int("ISSUE_BATCH_SIZE", 25)
        self.SCAN_FLUSH_SECONDS = _env_int("SCAN_FLUSH_SECONDS", 60)
        self.SCAN_SPIKE_FACTOR = _env_int("SCAN_SPIKE_FACTOR", 5)
        self.MAIL_SERVER = _env("MAIL_SERVER")
        self.MAIL_PORT = _env_int("MAIL_PORT", 587)
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        self.MAIL_SENDER = _env("MAIL_SENDER", "CNNT tiêu biểu <no-reply@localhost>")
        self.MAIL_TO_LOG = _env_bool("MAIL_TO_LOG", self.DEFAULT_MAIL_TO_LOG)
        self.PASSWORD_RESET_HOURS = _env_int("PASSWORD_RESET_HOURS", 24)
        # Where the published heads of the audit chain are appended (a second copy outside the
        # database; keep it on other storage or ship it off the machine). Default: the instance folder.
        self.AUDIT_CHECKPOINT_FILE = _env("AUDIT_CHECKPOINT_FILE")
        self.LOG_LEVEL = _env("LOG_LEVEL", "INFO")
        # "text" (one line per record) or "json" (one JSON object per line, for a log collector).
        self.LOG_FORMAT = _env("LOG_FORMAT", "text")

    @staticmethod
    def default_database_url():
        return f"sqlite:///{INSTANCE_DIR / 'cnnt.sqlite3'}"

    @staticmethod
    def default_signing_key_file():
        return str(INSTANCE_DIR / "signing-key.pem")

    def default_document_signers_file(self):
        return None  # nothing is digitally signed until the administrator names the keys

    @staticmethod
    def default_public_base_url():
        # `make run` and `flask run` serve on 127.0.0.1:$PORT: certificates seeded or issued by a
        # command then carry a QR that works with the server `make run` starts.
        return f"http://127.0.0.1:{_env_int('PORT', 5000)}"

    def check(self):
        """Raise :class:`ConfigError` when the settings are unsafe here."""
        if self.JOBS_RUNNER not in ("auto", "process"):
            raise ConfigError(f"JOBS_RUNNER must be 'auto' or 'process', not {self.JOBS_RUNNER!r}.")
        if not 1 <= self.REMEMBER_DAYS <= self.MAX_REMEMBER_DAYS:
            raise ConfigError(f"REMEMBER_DAYS must be between 1 and {self.MAX_REMEMBER_DAYS}, "
                              f"not {self.REMEMBER_DAYS}: a stolen \"remember me\" cookie must not last longer.")
        for name in self.INTERNAL_HOSTS:
            if not re.fullmatch(r"[a-z0-9.-]+(:[0-9]{1,5})?", name):
                raise ConfigError(f"INTERNAL_HOSTS: {name!r} is not a host name or IPv4 address "
                                  "(comma-separated names, no scheme or path).")
        if self.ISSUE_BATCH_SIZE < 1:
            raise ConfigError(f"ISSUE_BATCH_SIZE must be at least 1, not {self.ISSUE_BATCH_SIZE}.")
        if self.JOB_HEARTBEAT_TIMEOUT < 1:
            raise ConfigError(f"JOB_HEARTBEAT_TIMEOUT must be at least 1 second, not {self.JOB_HEARTBEAT_TIMEOUT}.")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEFAULT_MAIL_TO_LOG = True

    def default_document_signers_file(self):
        # The demo's own CA, once the demo has made it (`make run`): its certificates come signed.
        path = demo_signers_file(self.SIGNING_KEY_FILE)
        return str(path) if path.is_file() else None

    def __init__(self):
        super().__init__()
        # A fixed key keeps sessions across restarts of the development
        # server; production has no such fallback (see ProductionConfig.check).
        self.SECRET_KEY = self.SECRET_KEY or "dev-only-not-secret"
        # The browser tests' servers sign in some sixty times at 0.22 s of CPU each with argon2's full
        # cost; they keep argon2id at the test suite's lower cost. Read here only: production ignores it.
        self.PASSWORD_HASH_FAST = _env_bool("PASSWORD_HASH_FAST", False)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    # argon2 at full cost makes hundreds of test logins slow; tests keep the
    # algorithm and lower its cost.
    PASSWORD_HASH_FAST = True
    DEFAULT_MAIL_TO_LOG = True

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = "testing-only-not-secret"
        self.RATELIMIT_STORAGE_URI = "swept-memory://"
        self.MAIL_SERVER = ""

    @staticmethod
    def default_database_url():
        return "sqlite:///:memory:"

    @staticmethod
    def default_signing_key_file():
        # A folder of its own per configuration, created only when a key is written:
        # a test never signs with, nor refuses to overwrite, another run's key.
        return str(Path(tempfile.gettempdir()) / f"cnnt-testing-{secrets.token_hex(6)}" / "signing-key.pem")


class ProductionConfig(Config):
    ENV_NAME = "production"
    HSTS = True
    DEFAULT_SECURE_COOKIES = True
    CHECK_HOST = True

    def __init__(self):
        super().__init__()
        self.FORCE_HTTPS = _env_bool("FORCE_HTTPS", True)

    @staticmethod
    def default_signing_key_file():
        return ""  # no default: the key's place is a deliberate choice (backups, permissions)

    @staticmethod
    def default_public_base_url():
        return ""  # no default: check() refuses to start without it

    def check(self):
        super().check()
        missing = [name for name in ("SECRET_KEY", "PUBLIC_BASE_URL", "SIGNING_KEY_FILE") if not _env(name)]
        if missing:
            raise ConfigError(
                "Production refuses to start without: " + ", ".join(missing)
                + ". Set them in the environment (README, 'Configuration')."
            )
        if len(self.SECRET_KEY) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production.")
        if not self.PUBLIC_BASE_URL.startswith("https://"):
            raise ConfigError("PUBLIC_BASE_URL must be an https:// address in production.")
        if self.MAIL_TO_LOG:
            raise ConfigError("MAIL_TO_LOG would write one-time links into the log; production refuses it. "
                              "Set MAIL_SERVER to send e-mail.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment():
    """Return an instance of the config class named by ``CNNT_CONFIG``."""
    name = _env("CNNT_CONFIG", "development").strip().lower()
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"CNNT_CONFIG={name!r} is not one of: {', '.join(CONFIGS)}") from None

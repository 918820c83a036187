"""``DOCUMENT_SIGNERS_FILE``: which key signs for which issuing authority, and what a signature is checked against.

A TOML file the administrator writes (README and docs/deploy.md show one)::

    trust_roots = ["/etc/cnnt/trust/root-ca.pem"]      # the CAs a signature must chain to (PEM or DER)
    crl_files = ["/etc/cnnt/trust/ca.crl"]             # optional: revocation lists at hand (closed networks)
    fetch_revocation = false                           # true: fetch OCSP/CRL over the network (B-LT)
    timestamp_url = "http://tsa.example.vn/tsr"        # optional: an RFC 3161 timestamp authority (B-T)

    [authorities.TNG]                                  # an issuing authority's code
    pkcs12 = "/etc/cnnt/keys/tng.p12"
    passphrase_file = "/etc/cnnt/keys/tng.pass"

    [authorities.BCT]
    pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so"  # a token or an HSM through its PKCS#11 module
    token_label = "BCT"
    key_label = "bct-2026"
    pin_file = "/etc/cnnt/keys/bct.pin"
    chain_file = "/etc/cnnt/keys/bct-chain.pem"        # optional: the intermediate CAs, if not on the token

The passphrase and the PIN are read from files of their own (mode 0600, like the key), never written in
this file, so that it can be shown or versioned. An authority absent from the file does not sign on the
server: its documents are issued unsigned and its office may sign them with its own tools and upload them.
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PKCS12_KEYS = {"pkcs12", "passphrase_file"}
PKCS11_KEYS = {"pkcs11_module", "token_label", "key_label", "cert_label", "pin_file", "chain_file"}
TOP_KEYS = {"trust_roots", "crl_files", "fetch_revocation", "timestamp_url", "authorities"}


class SignersFileError(ValueError):
    """The file cannot be used; the message names the entry and says why (for the administrator)."""


@dataclass(frozen=True)
class AuthorityKey:
    """Where one authority's key is: a PKCS#12 file, or a label on a PKCS#11 token."""

    code: str
    pkcs12: Path | None = None
    passphrase_file: Path | None = None
    pkcs11_module: Path | None = None
    token_label: str | None = None
    key_label: str | None = None
    cert_label: str | None = None
    pin_file: Path | None = None
    chain_file: Path | None = None

    @property
    def kind(self):
        return "pkcs12" if self.pkcs12 is not None else "pkcs11"

    def secret(self):
        """The passphrase or PIN as bytes (None: none set), read now so that a rotated file is taken."""
        path = self.passphrase_file if self.kind == "pkcs12" else self.pin_file
        if path is None:
            return None
        try:
            return path.read_bytes().rstrip(b"\r\n")
        except OSError as error:
            raise SignersFileError(f"authorities.{self.code}: cannot read {path}: {error.strerror}") from None


@dataclass(frozen=True)
class SignersSettings:
    authorities: dict = field(default_factory=dict)  # authority code → AuthorityKey
    trust_roots: tuple = ()
    crl_files: tuple = ()
    fetch_revocation: bool = False
    timestamp_url: str | None = None

    def key_for(self, code):
        return self.authorities.get(code)


NO_SIGNERS = SignersSettings()


def read_settings(path):
    """The settings in the TOML file ``path``; ``None`` or "" gives :data:`NO_SIGNERS` (nothing signs).

    :raise SignersFileError: unreadable, not TOML, an unknown or missing entry, a file that is not there.
    """
    if not path:
        return NO_SIGNERS
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SignersFileError(f"DOCUMENT_SIGNERS_FILE: cannot read {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SignersFileError(f"DOCUMENT_SIGNERS_FILE: {path} is not valid TOML: {error}") from None
    _no_unknown(data, TOP_KEYS, "the file")
    roots = tuple(_existing(item, "trust_roots") for item in _strings(data, "trust_roots"))
    authorities = data.get("authorities", {})
    if not isinstance(authorities, dict):
        raise SignersFileError("[authorities] must be a table of authority codes")
    if authorities and not roots:
        raise SignersFileError("trust_roots is empty: name the root CA certificates the authorities' keys chain to")
    url = data.get("timestamp_url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise SignersFileError("timestamp_url must be an http:// or https:// address")
    fetch = data.get("fetch_revocation", False)
    if not isinstance(fetch, bool):
        raise SignersFileError("fetch_revocation must be true or false")
    return SignersSettings(
        authorities={code: _authority_key(code, entry) for code, entry in authorities.items()},
        trust_roots=roots, crl_files=tuple(_existing(item, "crl_files") for item in _strings(data, "crl_files")),
        fetch_revocation=fetch, timestamp_url=url)


def _authority_key(code, entry):
    where = f"authorities.{code}"
    if not isinstance(entry, dict):
        raise SignersFileError(f"{where} must be a table")
    _no_unknown(entry, PKCS12_KEYS | PKCS11_KEYS, where)
    for name, value in entry.items():
        if not isinstance(value, str) or not value.strip():
            raise SignersFileError(f"{where}.{name} must be a non-empty string")
    if ("pkcs12" in entry) == ("pkcs11_module" in entry):
        raise SignersFileError(f"{where}: give either pkcs12 (a file) or pkcs11_module (a token), exactly one")
    if "pkcs12" in entry:
        if PKCS11_KEYS & entry.keys():
            raise SignersFileError(f"{where}: a PKCS#12 key takes pkcs12 and passphrase_file only")
        return AuthorityKey(code=code, pkcs12=_existing(entry["pkcs12"], f"{where}.pkcs12"),
                            passphrase_file=_optional_file(entry, "passphrase_file", where))
    if PKCS12_KEYS & entry.keys():
        raise SignersFileError(f"{where}: a token takes pkcs11_module, token_label, key_label, cert_label, pin_file, chain_file")
    for required in ("token_label", "key_label"):
        if required not in entry:
            raise SignersFileError(f"{where}: a token needs {required}")
    return AuthorityKey(code=code, pkcs11_module=_existing(entry["pkcs11_module"], f"{where}.pkcs11_module"),
                        token_label=entry["token_label"], key_label=entry["key_label"],
                        cert_label=entry.get("cert_label"), pin_file=_optional_file(entry, "pin_file", where),
                        chain_file=_optional_file(entry, "chain_file", where))


def _no_unknown(table, known, where):
    unknown = sorted(set(table) - known)
    if unknown:
        raise SignersFileError(f"{where}: unknown entr{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}")


def _strings(data, name):
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise SignersFileError(f"{name} must be a list of file paths")
    return value


def _existing(path, where):
    path = Path(path)
    if not path.is_file():
        raise SignersFileError(f"{where}: {path} is not a file")
    return path


def _optional_file(entry, name, where):
    return _existing(entry[name], f"{where}.{name}") if name in entry else None


def init_app(app):
    """Read ``DOCUMENT_SIGNERS_FILE`` at start: a file that cannot be used stops the start, with the reason."""
    from config import ConfigError

    try:
        app.extensions["pades"] = read_settings(app.config.get("DOCUMENT_SIGNERS_FILE"))
    except SignersFileError as error:
        raise ConfigError(str(error)) from None


def settings_of(app):
    return app.extensions.get("pades", NO_SIGNERS)


def signs_on_server(app, authority_code):
    """Whether the authority with ``authority_code`` has its key named in ``DOCUMENT_SIGNERS_FILE`` (not opened)."""
    return bool(authority_code) and settings_of(app).key_for(authority_code) is not None


def authority_signer(app, authority_code):
    """The opened key of the authority with ``authority_code`` (:class:`~voting.core.pades.signers.OpenedSigner`),
    or None when it does not sign on the server.

    :raise voting.core.pades.signers.KeyUnavailable: named in the file, but it cannot be opened.
    """
    if not signs_on_server(app, authority_code):
        return None
    from voting.core.pades.signers import signer_for  # pyHanko: only where something is signed

    return signer_for(settings_of(app).key_for(authority_code))

"""Ed25519 signing keys, their published form (JWK), and the compact signed token in a certificate's QR.

No database here: keys are files and strings, so that a verifier needs only
this module, the token and the published keys (``/.well-known/cnnt-keys.json``).

The token is ``base64url(payload) "." base64url(signature)``, both without
padding and in their one canonical encoding (a character that only changes
unused bits is refused). The signature is Ed25519 over
``b"cnnt-cert-v1" + payload``: the prefix separates these signatures from
anything else the same key might ever sign. The payload, big-endian::

    offset  size  field
    0       1     version, 1
    1       12    kid: the signing key's 16-character kid, base64url-decoded
    13      2     issued_on, days since 2000-01-01 (uint16: up to 2179-06-06)
    15      2     expires_on, same; always after issued_on. 0xFFFF: the certificate does not expire
    17      16    the first 16 bytes of the SHA-256 of the certified facts (``Certificate.digest``)
    33      1     n, the length of the number in bytes (1-255)
    34      n     the certificate number, UTF-8, printable

For "TNG-2026-0001" the payload is 47 bytes (63 characters), the signature 64
bytes (86 characters): a 150-character token. A token only says "this key
signed these facts"; whether the certificate is still valid is the registry's
answer (:mod:`certificates.rules.verification`).
"""
import base64
import hashlib
import os
import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = 1
DOMAIN = b"cnnt-cert-v1"
EPOCH = date(2000, 1, 1)
#: A kid is 16 base64url characters: exactly 12 bytes, so it travels in the token without waste.
KID_LENGTH = 16
KID_BYTES = 12
DIGEST_PREFIX_BYTES = 16
SIGNATURE_BYTES = 64
MAX_TOKEN_LENGTH = 512
#: ``expires_on`` of a certificate that does not expire (a round may choose so): the last day the
#: field could hold (2179-06-06) is never a real expiry, so it is safe to give it this meaning.
NO_EXPIRY = 0xFFFF
KEY_STATUSES = ("active", "retired", "compromised")

_HEADER = struct.Struct(">B12sHH16sB")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


class SigningKeyError(ValueError):
    """A key file or a published key cannot be used; the message says why."""


class TokenInvalid(ValueError):
    """The token does not prove anything."""


class TokenMalformed(TokenInvalid):
    """The token is not well-formed: not one we could have produced."""


class TokenForged(TokenInvalid):
    """The token is well-formed but not signed by a known key."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# Encoding ------------------------------------------------------------------------------------------

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text):
    """The bytes of a canonical unpadded base64url string, or None."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # Two strings differing only in the unused low bits decode alike; accept one of them.
    return data if b64url(data) == text else None


# Keys ----------------------------------------------------------------------------------------------

def generate_private_key():
    return Ed25519PrivateKey.generate()


def write_private_key(key, path):
    """Write ``key`` as unencrypted PKCS8 PEM readable by its owner only; never overwrite a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningKeyError(f"{path} already exists: refusing to overwrite a signing key") from None
    with os.fdopen(descriptor, "wb") as out:
        os.fchmod(out.fileno(), 0o600)  # whatever the umask
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return path


def load_private_key(path):
    """Read the Ed25519 private key in the PEM file ``path``.

    :raise SigningKeyError: the file is missing, unreadable, or not an unencrypted Ed25519 key.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SigningKeyError(f"signing key file {path} does not exist "
                              "(create one with 'flask certificates keygen')") from None
    except OSError as error:
        raise SigningKeyError(f"cannot read signing key file {path}: {error.strerror}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise SigningKeyError(f"{path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def public_key_b64(key):
    """The raw 32-byte public key of a private or public key, base64url without padding."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return b64url(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key_from_b64(text):
    raw = _b64url_decode(text)
    if raw is None or len(raw) != 32:
        raise SigningKeyError("a public key is 32 bytes in unpadded base64url")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_from_pem(data):
    """The Ed25519 public key in PEM ``data`` (a verifier is given public keys only)."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise SigningKeyError("not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"the PEM holds a {type(key).__name__}, not an Ed25519 key")
    return key


def kid_for(public_key):
    """The RFC 7638 thumbprint of the key as an OKP JWK, base64url, cut to 16 characters.

    16 characters are exactly 12 bytes, so the whole kid fits the token with no
    partial bits; 96 bits leave no chance of two of the platform's few keys
    colliding (and the kid column is unique, so a collision would be refused).
    """
    x = public_key_b64(public_key_from_b64(public_key) if isinstance(public_key, str) else public_key)
    canonical = '{"crv":"Ed25519","kty":"OKP","x":"' + x + '"}'  # members in lexicographic order
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())[:KID_LENGTH]


@dataclass(frozen=True)
class PublishedKey:
    """A public key as published: the attributes a ``SigningKey`` row has too."""

    kid: str
    public_key: str
    status: str = "active"


def jwk(public_key_b64, kid, status):
    """One key as a JWK; ``status`` (active/retired/compromised) is this platform's own member."""
    return {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid,
            "x": public_key_b64, "status": str(status)}


def jwk_set(keys):
    """``{"keys": [...]}`` for objects with ``kid``, ``public_key`` and ``status`` (rows or PublishedKey)."""
    return {"keys": [jwk(key.public_key, key.kid, key.status) for key in keys]}


def read_jwk_set(data):
    """The Ed25519 keys of a parsed JWK set; a kid that is not its key's thumbprint is refused."""
    entries = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SigningKeyError('a JWK set is a JSON object with a "keys" list')
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519":
            continue  # not one of ours; JWK sets may hold other keys
        x, kid, status = entry.get("x"), entry.get("kid"), entry.get("status", "active")
        if not isinstance(x, str) or kid != kid_for(x):
            raise SigningKeyError(f"key {kid!r}: the kid is not the thumbprint of its key")
        if status not in KEY_STATUSES:
            raise SigningKeyError(f"key {kid!r}: unknown status {status!r}")
        keys.append(PublishedKey(kid, x, status))
    return keys


# Tokens --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claims:
    """What a well-formed token states; ``signed_bytes`` is what the signature covers."""

    version: int
    kid: str
    number: str
    issued_on: date
    expires_on: date | None  # None: the certificate does not expire
    digest_prefix_hex: str
    signed_bytes: bytes
    signature: bytes


def _days(day):
    days = (day - EPOCH).days
    if not 0 <= days < NO_EXPIRY:
        raise ValueError(f"{day} is outside the token's date range")
    return days


def make_token(private_key, kid, number, issued_on, expires_on, digest_hex):
    """Sign the certificate's number, dates and digest; return the token. ``expires_on`` None: no expiry."""
    kid_raw = _b64url_decode(kid)
    number_raw = number.encode("utf-8")
    digest = bytes.fromhex(digest_hex)[:DIGEST_PREFIX_BYTES]
    if kid_raw is None or len(kid_raw) != KID_BYTES:
        raise ValueError(f"kid {kid!r} is not a {KID_LENGTH}-character kid")
    if not 1 <= len(number_raw) <= 255 or not number.isprintable():
        raise ValueError(f"certificate number {number!r} cannot be put in a token")
    if len(digest) != DIGEST_PREFIX_BYTES:
        raise ValueError("the digest must be a hex SHA-256")
    if expires_on is not None and expires_on <= issued_on:
        raise ValueError("a certificate expires after it is issued")
    expires = NO_EXPIRY if expires_on is None else _days(expires_on)
    payload = _HEADER.pack(VERSION, kid_raw, _days(issued_on), expires, digest, len(number_raw)) + number_raw
    return b64url(payload) + "." + b64url(private_key.sign(DOMAIN + payload))


def parse_token(token):
    """Read a token without checking its signature.

    :raise TokenMalformed: for anything that is not exactly a token we could have made.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise TokenMalformed("not a token")
    payload_text, _, signature_text = token.partition(".")
    payload, signature = _b64url_decode(payload_text), _b64url_decode(signature_text)
    if payload is None or signature is None:
        raise TokenMalformed("not canonical base64url in two parts")
    if len(signature) != SIGNATURE_BYTES:
        raise TokenMalformed("wrong signature length")
    if len(payload) <= _HEADER.size:
        raise TokenMalformed("payload too short")
    version, kid_raw, issued, expires, digest, length = _HEADER.unpack_from(payload)
    if version != VERSION:
        raise TokenMalformed(f"unknown version {version}")
    number_raw = payload[_HEADER.size:]
    if len(number_raw) != length:
        raise TokenMalformed("number length does not match")
    try:
        number = number_raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TokenMalformed("number is not UTF-8") from None
    if not number.isprintable():
        raise TokenMalformed("number is not printable")
    if issued == NO_EXPIRY or expires <= issued:
        raise TokenMalformed("dates out of order")
    return Claims(version=version, kid=b64url(kid_raw), number=number, issued_on=EPOCH + timedelta(days=issued),
                  expires_on=None if expires == NO_EXPIRY else EPOCH + timedelta(days=expires),
                  digest_prefix_hex=digest.hex(), signed_bytes=DOMAIN + payload, signature=signature)


def check_signature(claims, public_keys):
    """Raise :class:`TokenForged` unless the key named by ``claims.kid`` signed them.

    :param public_keys: kid → public key (base64url string or key object).
    """
    key = public_keys.get(claims.kid)
    if key is None:
        raise TokenForged("unknown key")
    if isinstance(key, str):
        key = public_key_from_b64(key)
    elif isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    try:
        key.verify(claims.signature, claims.signed_bytes)
    except InvalidSignature:
        raise TokenForged("bad signature") from None
    return claims


def verify_token(token, public_keys):
    """The claims of a token signed by one of ``public_keys`` (kid → key).

    :raise TokenMalformed: not well-formed.
    :raise TokenForged: unknown kid or bad signature.
    """
    return check_signature(parse_token(token), public_keys)

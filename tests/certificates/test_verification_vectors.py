"""A verifier written from docs/verification.md alone agrees with every test vector.

This module is what a third party would write: Python's standard library and ``cryptography``, the
document's rules, the published vectors. It imports nothing of the platform (a test below holds it
to that), so a rule the document leaves out or gets wrong fails here.
"""
import ast
import base64
import hashlib
import json
import re
import struct
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DOCS = Path(__file__).resolve().parents[2] / "docs"
VECTORS = json.loads((DOCS / "verification-vectors.json").read_text(encoding="utf-8"))
BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
EPOCH = date(2000, 1, 1)


class Forged(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# Section 1, 2: base64url, the key set --------------------------------------------------------------

def b64url_encode(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text):
    """Canonical unpadded base64url, else None."""
    if not BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return data if b64url_encode(data) == text else None


def kid_of(x):
    thumbprint = hashlib.sha256(('{"crv":"Ed25519","kty":"OKP","x":"' + x + '"}').encode("ascii")).digest()
    return b64url_encode(thumbprint)[:16]


def read_key_set(key_set):
    keys = {}
    for entry in key_set["keys"]:
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519":
            continue
        if entry["kid"] != kid_of(entry["x"]):
            raise ValueError(f"kid {entry['kid']} is not its key's thumbprint")
        raw = b64url_decode(entry["x"])
        assert raw is not None and len(raw) == 32
        keys[entry["kid"]] = (Ed25519PublicKey.from_public_bytes(raw), entry.get("status", "active"))
    return keys


# Section 2, 3: the token ----------------------------------------------------------------------------

def _printable(text):
    return all(ch == " " or not unicodedata.category(ch).startswith(("C", "Z")) for ch in text)


def parse(token):
    """The claims and the signed message, or Forged("malformed")."""
    if len(token) > 512 or token.count(".") != 1:
        raise Forged("malformed")
    payload_text, signature_text = token.split(".")
    payload, signature = b64url_decode(payload_text), b64url_decode(signature_text)
    if payload is None or signature is None or len(signature) != 64 or len(payload) < 35:
        raise Forged("malformed")
    version, kid, issued, expires, prefix, n = struct.unpack(">B12sHH16sB", payload[:34])
    number = payload[34:]
    lasting = expires == 0xFFFF  # "does not expire"; issued_on may never hold it
    if version != 1 or n == 0 or len(number) != n or issued == 0xFFFF or (expires <= issued and not lasting):
        raise Forged("malformed")
    try:
        number = number.decode("utf-8")
    except UnicodeDecodeError:
        raise Forged("malformed") from None
    if not _printable(number):
        raise Forged("malformed")
    claims = {"version": version, "kid": b64url_encode(kid), "issued_on": (EPOCH + timedelta(issued)).isoformat(),
              "expires_on": None if lasting else (EPOCH + timedelta(expires)).isoformat(),
              "digest_prefix_hex": prefix.hex(),
              "number": number}
    return claims, b"cnnt-cert-v1" + payload, signature


# Section 4: the snapshot ------------------------------------------------------------------------------

def _string(text):
    escapes = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    return '"' + "".join(escapes.get(ch) or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 else ch) for ch in text) + '"'


def _value(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, str), "the document allows strings, integers, booleans only"
    return _string(value)


def canonical(snapshot):
    """Written out by the document's rules (not with json.dumps, so that the rules themselves are tested)."""
    return ("{" + ",".join(_string(key) + ":" + _value(snapshot[key]) for key in sorted(snapshot)) + "}").encode()


# Section 5: the verdict -----------------------------------------------------------------------------

def verdict(token, keys, today, snapshot=None):
    """``(verdict, reason, claims)`` by the document's steps, in its order."""
    try:
        claims, message, signature = parse(token)
    except Forged as forged:
        return "forged", forged.reason, None
    if claims["kid"] not in keys:
        return "forged", "unknown_key", claims
    public_key, status = keys[claims["kid"]]
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return "forged", "bad_signature", claims
    if status == "compromised":
        return "key_compromised", None, claims
    if snapshot is not None and hashlib.sha256(canonical(snapshot)).hexdigest()[:32] != claims["digest_prefix_hex"]:
        return "forged", "snapshot_mismatch", claims
    if today < date.fromisoformat(claims["issued_on"]):
        return "not_yet_valid", None, claims
    if claims["expires_on"] is not None and today > date.fromisoformat(claims["expires_on"]):
        return "expired", None, claims
    return "valid", None, claims


# The tests ---------------------------------------------------------------------------------------------

def test_the_key_set_is_the_published_form_of_the_test_keys():
    keys = read_key_set(VECTORS["key_set"])
    for key in VECTORS["keys"]:
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key["private_key_seed_hex"]))
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        assert b64url_encode(raw) == key["public_key"] and kid_of(key["public_key"]) == key["kid"]
        assert (key["kid"] in keys) == (key["status"] is not None)
        if key["status"]:
            assert keys[key["kid"]][1] == key["status"]


def test_a_key_set_with_an_edited_kid_is_refused():
    edited = json.loads(json.dumps(VECTORS["key_set"]))
    edited["keys"][0]["kid"] = "A" * 16
    with pytest.raises(ValueError):
        read_key_set(edited)


def test_the_documents_example_kid():
    assert kid_of("m46c3W5cg_L-AySPLv5gBW41SzPET9XD_1Ax2zmgfz8") == "YmikulcUHK9HsQBP"


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=[v["name"] for v in VECTORS["vectors"]])
def test_every_vector_gets_its_expected_verdict(vector):
    keys = read_key_set(VECTORS["key_set"])
    found, reason, claims = verdict(vector["token"], keys, date.fromisoformat(vector["today"]), vector["snapshot"])
    expected = vector["expected"]
    assert (found, reason) == (expected["verdict"], expected["reason"])
    if "claims" in expected:
        assert claims == expected["claims"]
    if vector["snapshot"] is not None:
        assert canonical(vector["snapshot"]).decode("utf-8") == expected["canonical_snapshot"]
        assert hashlib.sha256(canonical(vector["snapshot"])).hexdigest() == expected["snapshot_sha256"]


def test_the_vectors_cover_every_verdict_and_reason():
    seen = {(v["expected"]["verdict"], v["expected"]["reason"]) for v in VECTORS["vectors"]}
    assert seen == {("valid", None), ("expired", None), ("not_yet_valid", None), ("key_compromised", None),
                    ("forged", "malformed"), ("forged", "unknown_key"), ("forged", "bad_signature"),
                    ("forged", "snapshot_mismatch")}


def test_this_verifier_uses_nothing_of_the_platform():
    """Only the standard library, pytest and cryptography: what the document tells is all it knows."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported - set(sys.stdlib_module_names) == {"pytest", "cryptography"}

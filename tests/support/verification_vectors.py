"""The test vectors of docs/verification.md, built with the platform's own code.

``python -m tests.support.verification_vectors`` writes ``docs/verification-vectors.json``;
``tests/certificates/test_verification_vectors.py`` holds the file to this builder (so the two cannot drift) and
checks every vector with a verifier written from the document alone.

The keys are TEST KEYS: their private halves are published here and in the file. They are derived
from fixed seeds, and Ed25519 signatures are deterministic, so the file is the same on every run.
"""
import base64
import hashlib
import json
import struct
import sys
import unicodedata
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates.operations.issuance import canonical, digest_of
from certificates.rules.signing import (
    DOMAIN,
    NO_EXPIRY,
    PublishedKey,
    b64url,
    jwk_set,
    kid_for,
    make_token,
    parse_token,
    public_key_b64,
)

PATH = Path(__file__).resolve().parents[2] / "docs" / "verification-vectors.json"
WARNING = ("TEST VECTORS ONLY. These keys' private halves are published: never register them, never trust a "
           "certificate they sign. The real keys are at https://<official address>/.well-known/cnnt-keys.json.")
#: name → status in the published key set (None: not published).
KEYS = {"active": "active", "retired": "retired", "compromised": "compromised", "unpublished": None}
TODAY = date(2026, 3, 16)
ISSUED, EXPIRES = date(2026, 3, 2), date(2029, 3, 2)

SNAPSHOT = {
    "product_name": "Miến dong Na Rì", "group_name": "Chế biến nông, lâm, thủy sản",
    "producer_name": "Hợp tác xã Miến dong Na Rì", "producer_address": "Thôn Nà Làng, xã Na Rì, Thái Nguyên",
    "province_name": "Thái Nguyên", "level": "tinh", "level_label": "cấp tỉnh", "year": 2026,
    "round_title": "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh năm 2026", "entry_code": "TNG-26-007",
    "decision_number": "125/QĐ-UBND", "decision_on": "2026-03-02",
    "decision_authority": "Ủy ban nhân dân tỉnh Thái Nguyên", "authority_name": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "authority_parent": "", "place": "Thái Nguyên", "signer_name": "Nguyễn Văn Bình",
    "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
}
PAPER_SNAPSHOT = {
    "product_name": "Chè Shan tuyết \"cổ thụ\" Hà Giang", "group_name": "Chế biến nông, lâm, thủy sản",
    "producer_name": "HTX Chè Hà Giang", "producer_address": "Hà Giang (nay thuộc tỉnh Tuyên Quang)",
    "province_name": "Tuyên Quang", "province_name_then": "Hà Giang", "level": "huyen",
    "level_label": "cấp huyện", "year": 2019, "decision_number": "88/QĐ-UBND", "decision_on": "2019-11-20",
    "decision_authority": "UBND huyện Vị Xuyên", "authority_name": "Sở Công Thương tỉnh Tuyên Quang",
    "authority_parent": "Ủy ban nhân dân tỉnh Tuyên Quang", "place": "Tuyên Quang", "signer_name": "",
    "signer_title": "", "reissued_from_paper": True, "paper_number": "12/GCN-UBND",
    "paper_date": "2019-11-20",
    "reissue_note": "Cấp lại từ Giấy chứng nhận (bản giấy) số 12/GCN-UBND cấp ngày 20/11/2019",
}


def private_key(name):
    """A test key from a fixed seed: SHA-256 of "cnnt-tieu-bieu test vector key <name>"."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"cnnt-tieu-bieu test vector key {name}".encode())
                                                .digest())


def _key_entry(name):
    key = private_key(name)
    raw = key.private_bytes_raw()
    return {"name": name, "status": KEYS[name], "private_key_seed_hex": raw.hex(),
            "public_key": public_key_b64(key), "kid": kid_for(key.public_key())}


def _days(day):
    return NO_EXPIRY if day is None else (day - date(2000, 1, 1)).days


def _payload(kid, issued, expires, digest_hex, number, version=1, length=None):
    """The payload by hand (for tokens our make_token refuses to make): docs/verification.md, "Token".

    ``issued`` or ``expires`` None: the field holds 0xFFFF ("no expiry").
    """
    raw = number.encode("utf-8")
    return struct.pack(">B12sHH16sB", version, base64.urlsafe_b64decode(kid), _days(issued), _days(expires),
                       bytes.fromhex(digest_hex)[:16], len(raw) if length is None else length) + raw


def _signed(key_name, payload):
    return b64url(payload) + "." + b64url(private_key(key_name).sign(DOMAIN + payload))


def _token(key_name="active", number="TNG-2026-0001", issued=ISSUED, expires=EXPIRES, snapshot=SNAPSHOT,
           kid_of=None):
    kid = kid_for(private_key(kid_of or key_name).public_key())
    return make_token(private_key(key_name), kid, number, issued, expires, digest_of(snapshot))


def _flip_payload_byte(token):
    """One bit changed in the certificate number (the payload's last byte), the signature kept."""
    payload_text, signature_text = token.split(".")
    payload = bytearray(base64.urlsafe_b64decode(payload_text + "=" * (-len(payload_text) % 4)))
    payload[-1] ^= 0x01
    return b64url(bytes(payload)) + "." + signature_text


def _change_signature_char(token):
    position = len(token) - 20
    return token[:position] + ("B" if token[position] != "B" else "C") + token[position + 1:]


def _unused_bits_set(token):
    """The same bytes, but the last character's unused low bits set: not the canonical encoding."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(token[-1])
    return token[:-1] + alphabet[last | 0b0011]  # 64 bytes in 86 characters: 4 unused bits, 2 set here


def _nfd(snapshot):
    return {k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v for k, v in snapshot.items()}


def _vector(name, description, token, today=TODAY, snapshot=None, verdict="valid", reason=None):
    vector = {"name": name, "description": description, "token": token, "today": today.isoformat(),
              "snapshot": snapshot, "expected": {"verdict": verdict, "reason": reason}}
    if snapshot is not None:
        vector["expected"]["canonical_snapshot"] = canonical(snapshot)
        vector["expected"]["snapshot_sha256"] = digest_of(snapshot)
    return vector


def _claims(token):
    """What a well-formed token states (the document's "Token" layout), for the vectors that have one."""
    claims = parse_token(token)
    return {"version": claims.version, "kid": claims.kid, "issued_on": claims.issued_on.isoformat(),
            "expires_on": claims.expires_on and claims.expires_on.isoformat(), "digest_prefix_hex": claims.digest_prefix_hex,
            "number": claims.number}


def vectors():
    valid = _token()
    paper = _token("retired", number="12/GCN-UBND", issued=date(2025, 12, 1), expires=date(2026, 12, 31),
                   snapshot=PAPER_SNAPSHOT)
    different = {**SNAPSHOT, "product_name": "Miến dong Na Rì loại 1"}
    lasting = _token(number="TNG-2026-0002", expires=None)
    cases = [
        _vector("valid", "Signed by the active key; checked within its dates; the snapshot matches.", valid,
                snapshot=SNAPSHOT),
        _vector("valid-retired-key", "A re-issued paper certificate signed by a key since retired: still valid. "
                "Its number holds a slash; its snapshot a quoted word.", paper, snapshot=PAPER_SNAPSHOT),
        _vector("valid-on-expiry-day", "Valid on the day it expires, expired the day after.", valid, today=EXPIRES),
        _vector("valid-on-issue-day", "Valid from the day it is issued.", valid, today=ISSUED),
        _vector("expired", "The day after its expiry.", valid, today=date(2029, 3, 3), verdict="expired"),
        _vector("no-expiry", "expires_on 0xFFFF: a certificate of a round that issues them without expiry. "
                "Still valid long after (2179-06-07 is no expiry day).", lasting, today=date(2179, 6, 7),
                snapshot=SNAPSHOT),
        _vector("no-expiry-not-yet-valid", "Without expiry, but checked before its issue date.", lasting,
                today=date(2026, 3, 1), verdict="not_yet_valid"),
        _vector("issued-on-no-expiry-marker", "Well signed, but issued_on holds 0xFFFF, which only expires_on may.",
                _signed("active", _payload(kid_for(private_key("active").public_key()), None, None,
                                           digest_of(SNAPSHOT), "TNG-2026-0002")),
                verdict="forged", reason="malformed"),
        _vector("not-yet-valid", "Checked before its issue date (a wrong clock, or a forgery to distrust).", valid,
                today=date(2026, 3, 1), verdict="not_yet_valid"),
        _vector("key-compromised", "Well signed, by a key published as compromised: the signature proves nothing.",
                _token("compromised"), verdict="key_compromised"),
        _vector("payload-bit-changed", "One bit of the number changed, the signature kept.",
                _flip_payload_byte(valid), verdict="forged", reason="bad_signature"),
        _vector("signature-changed", "One character of the signature changed.", _change_signature_char(valid),
                verdict="forged", reason="bad_signature"),
        _vector("wrong-key", "Signed by an unpublished key, naming the active key's kid.",
                _token("unpublished", kid_of="active"), verdict="forged", reason="bad_signature"),
        _vector("unknown-kid", "Signed by an unpublished key, naming its own kid.", _token("unpublished"),
                verdict="forged", reason="unknown_key"),
        _vector("non-canonical-base64", "The valid token with unused bits of its last character set.",
                _unused_bits_set(valid), verdict="forged", reason="malformed"),
        _vector("padded", "The valid token with base64 padding added.", valid + "==", verdict="forged",
                reason="malformed"),
        _vector("two-dots", "A third part.", valid + ".AAAA", verdict="forged", reason="malformed"),
        _vector("version-2", "Well signed, but version 2.",
                _signed("active", _payload(kid_for(private_key("active").public_key()), ISSUED, EXPIRES,
                                           digest_of(SNAPSHOT), "TNG-2026-0001", version=2)),
                verdict="forged", reason="malformed"),
        _vector("dates-out-of-order", "Well signed, but expiring on its issue day.",
                _signed("active", _payload(kid_for(private_key("active").public_key()), ISSUED, ISSUED,
                                           digest_of(SNAPSHOT), "TNG-2026-0001")),
                verdict="forged", reason="malformed"),
        _vector("number-length-mismatch", "Well signed, but its number is one byte longer than n says.",
                _signed("active", _payload(kid_for(private_key("active").public_key()), ISSUED, EXPIRES,
                                           digest_of(SNAPSHOT), "TNG-2026-0001", length=12)),
                verdict="forged", reason="malformed"),
        _vector("number-not-printable", "Well signed, but its number holds a line break.",
                _signed("active", _payload(kid_for(private_key("active").public_key()), ISSUED, EXPIRES,
                                           digest_of(SNAPSHOT), "TNG-2026\n0001")),
                verdict="forged", reason="malformed"),
        _vector("too-long", "Longer than 512 characters.", "A" * 513, verdict="forged", reason="malformed"),
        _vector("snapshot-differs", "A valid token shown with facts that are not the ones it signs.", valid,
                snapshot=different, verdict="forged", reason="snapshot_mismatch"),
        _vector("snapshot-not-nfc", "The signed facts, but their text decomposed (NFD): other bytes, another "
                "digest. Text is compared as published (NFC), never normalised by the verifier.", valid,
                snapshot=_nfd(SNAPSHOT), verdict="forged", reason="snapshot_mismatch"),
    ]
    for vector in cases:
        if vector["expected"]["reason"] in (None, "bad_signature", "unknown_key", "snapshot_mismatch"):
            vector["expected"]["claims"] = _claims(vector["token"])
    return cases


def document():
    keys = [_key_entry(name) for name in KEYS]
    published = [PublishedKey(k["kid"], k["public_key"], k["status"]) for k in keys if k["status"]]
    return {"warning": WARNING, "keys": keys, "key_set": jwk_set(published), "vectors": vectors()}


def render():
    return json.dumps(document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if PATH.read_text(encoding="utf-8") == render() else 1)
    PATH.write_text(render(), encoding="utf-8")
    print(f"{len(vectors())} vectors written to {PATH}")

"""The platform's own code agrees with docs/verification-vectors.json, so neither can drift.

The file is what ``tests/support/verification_vectors.py`` builds with the signing code; every vector gets
its verdict from the token code, the command-line verifier and (for the certificates it would hold)
the registry; the verification API's ``snapshot_sha256`` is the digest the token signs.
"""
import hashlib
import json
from datetime import date

import pytest

from certificates import cli as certificates_cli
from certificates.operations.issuance import canonical, digest_of
from certificates.rules.signing import TokenForged, TokenMalformed, parse_token, read_jwk_set, verify_token
from certificates.rules.verification import status_payload, verify, verify_facts
from tests.support import verification_vectors
from tests.support.certificates import issue_certificates as issue_with_pdfs
from tests.support.certificates import certify
from tests.support.signing import offline_app
from tests.support.signing import certified as certified  # noqa: F401,PLC0414 (the fixture)
from voting.extensions import db
from certificates.models import Certificate, KeyStatus, SigningKey

VECTORS = json.loads(verification_vectors.PATH.read_text(encoding="utf-8"))
BY_NAME = {v["name"]: v for v in VECTORS["vectors"]}
REASONS = {"unknown key": "unknown_key", "bad signature": "bad_signature"}


def test_the_published_vectors_are_what_the_code_builds():
    """Regenerate with ``python -m tests.support.verification_vectors`` after changing the token or the snapshot."""
    assert verification_vectors.PATH.read_text(encoding="utf-8") == verification_vectors.render()


def _our_verdict(vector):
    keys = {key.kid: key for key in read_jwk_set(VECTORS["key_set"])}
    try:
        claims = verify_token(vector["token"], {kid: key.public_key for kid, key in keys.items()})
    except TokenMalformed:
        return "forged", "malformed"
    except TokenForged as forged:
        return "forged", REASONS[forged.reason]
    today = date.fromisoformat(vector["today"])
    if keys[claims.kid].status == "compromised":
        return "key_compromised", None
    if vector["snapshot"] is not None and not digest_of(vector["snapshot"]).startswith(claims.digest_prefix_hex):
        return "forged", "snapshot_mismatch"
    if today < claims.issued_on:
        return "not_yet_valid", None
    return ("expired", None) if claims.expires_on is not None and today > claims.expires_on else ("valid", None)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_signing_code_gives_every_vector_its_verdict(name):
    vector = BY_NAME[name]
    assert _our_verdict(vector) == (vector["expected"]["verdict"], vector["expected"]["reason"])
    if vector["snapshot"] is not None:
        assert canonical(vector["snapshot"]) == vector["expected"]["canonical_snapshot"]
        assert digest_of(vector["snapshot"]) == vector["expected"]["snapshot_sha256"]


#: What ``certificates verify --offline`` prints for each verdict (it sees no snapshot).
SAID = {"valid": (0, "Chữ ký hợp lệ"), "expired": (1, "HẾT HẠN"), "not_yet_valid": (1, "Issued after today"),
        "key_compromised": (1, "KHÓA KÝ BỊ LỘ"), "forged": (1, "GIẢ MẠO")}


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_command_line_verifier_gives_every_vector_its_verdict(name, tmp_path, monkeypatch):
    vector = BY_NAME[name]
    keys = tmp_path / "cnnt-keys.json"
    keys.write_text(json.dumps(VECTORS["key_set"]), encoding="utf-8")
    # The vector's day, as the clock would give it (Vietnam's date).
    monkeypatch.setattr(certificates_cli, "today_vn", lambda: date.fromisoformat(vector["today"]))
    expected = vector["expected"]["verdict"] if vector["expected"]["reason"] != "snapshot_mismatch" else "valid"
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", vector["token"], "--keys", str(keys), "--offline"])
    exit_code, text = SAID[expected]
    assert result.exit_code == exit_code and text in result.output, result.output
    if "claims" in vector["expected"] and expected != "forged":
        assert vector["expected"]["claims"]["number"] in result.output


def _register_test_key(name):
    entry = next(k for k in VECTORS["keys"] if k["name"] == name)
    key = SigningKey(kid=entry["kid"], public_key=entry["public_key"], status=KeyStatus(entry["status"]))
    db.session.add(key)
    db.session.flush()
    return key


def _hold(world, vector, snapshot, key):
    """The certificate the registry would hold for ``vector``'s token, with ``snapshot``."""
    claims = parse_token(vector["token"])
    certificate = Certificate(
        number=claims.number, authority_id=world["authority_id"], level="tinh", year=2026, sequence=1,
        round_id=world["round_id"], application_id=world["applications"][0], decision_id=world["decision_id"],
        snapshot=canonical(snapshot), digest=digest_of(snapshot), issued_on=claims.issued_on,
        expires_on=claims.expires_on, status="valid", reason="", reason_category="", signing_key_id=key.id,
        token=vector["token"])
    db.session.add(certificate)
    db.session.flush()
    return certificate


@pytest.mark.parametrize("name, registry_status", [
    ("valid", "valid"), ("valid-on-expiry-day", "valid"), ("expired", "expired"),
    ("payload-bit-changed", "forged"), ("signature-changed", "forged"), ("wrong-key", "forged"),
    ("unknown-kid", "forged"), ("non-canonical-base64", "forged"),
])
def test_the_registry_gives_the_same_verdicts(app, certified, name, registry_status):  # noqa: F811
    vector, world = BY_NAME[name], certified()
    with app.app_context():
        _hold(world, BY_NAME["valid"], BY_NAME["valid"]["snapshot"], _register_test_key("active"))
        today = date.fromisoformat(vector["today"])
        for answer in (verify(vector["token"], today), verify_facts(vector["token"], today)):
            assert answer.status == registry_status
        payload = status_payload(verify_facts(vector["token"], today))
        if registry_status == "forged":
            assert payload["certificate"] is None
        else:
            assert payload["certificate"]["snapshot_sha256"] == BY_NAME["valid"]["expected"]["snapshot_sha256"]
            assert payload["certificate"]["key_id"] == vector["expected"]["claims"]["kid"]


def test_the_registry_calls_a_token_with_other_facts_forged(app, certified):  # noqa: F811
    """The registry holds a snapshot whose digest is not the one the token signs (vector snapshot-differs)."""
    vector, world = BY_NAME["snapshot-differs"], certified()
    with app.app_context():
        _hold(world, vector, vector["snapshot"], _register_test_key("active"))
        assert verify(vector["token"], date.fromisoformat(vector["today"])).status == "forged"


def test_the_verification_api_returns_the_digest_the_token_signs(app, client, make_user, signer, monkeypatch):
    """On a certificate issued the real way: recomputing the digest from the stored facts by the document's
    rules gives the API's snapshot_sha256, whose first 16 bytes the token signs."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    (certificate_id, _number), = issue_with_pdfs(app, certify(app, make_user, entries=1, failing=0))
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        token, facts = certificate.token, json.loads(certificate.snapshot)
    answer = client.get(f"/api/v1/verify/{token}").get_json()["certificate"]
    recomputed = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    assert answer["snapshot_sha256"] == hashlib.sha256(recomputed).hexdigest()
    claims = parse_token(token)
    assert answer["snapshot_sha256"][:32] == claims.digest_prefix_hex and answer["key_id"] == claims.kid

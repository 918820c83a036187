"""Signing keys, the compact certificate token, verification against the registry, and the key CLI."""
import base64
import json
import struct
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from certificates.operations.keys import (
    COMPROMISED_REASON,
    SignerUnavailable,
    active_key_for,
    current_signer,
    mark_compromised,
    register_key,
)
from certificates.rules.signing import (
    DOMAIN,
    PublishedKey,
    SigningKeyError,
    TokenForged,
    TokenInvalid,
    TokenMalformed,
    b64url,
    generate_private_key,
    jwk_set,
    kid_for,
    load_private_key,
    make_token,
    parse_token,
    public_key_b64,
    read_jwk_set,
    verify_token,
    write_private_key,
)
from certificates.rules.verification import status_payload, verify, verify_facts
from config import ConfigError
from tests.helpers import free_port
from tests.support.signing import DIGEST, EXPIRES, ISSUED, insert_certificate, offline_app, register_signer
from tests.support.signing import certified as certified  # noqa: PLC0414 (a fixture)
from voting import create_app
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models.base import utcnow
from voting.models import AuditEvent, Role, User
from certificates.models import Certificate, KeyStatus, SigningKey

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
KEY = generate_private_key()
KID = kid_for(KEY.public_key())
TOKEN = make_token(KEY, KID, "TNG-2026-0001", ISSUED, EXPIRES, DIGEST)
KEYS = {KID: public_key_b64(KEY)}


def _rejected(token):
    try:
        verify_token(token, KEYS)
    except TokenInvalid:
        return True
    return False


def _signed(payload, key=KEY):
    return b64url(payload) + "." + b64url(key.sign(DOMAIN + payload))


def _payload(version=1, issued=9557, expires=10653, number=b"TNG-2026-0001", length=None):
    """A payload built by hand from the documented layout (9557 days after 2000-01-01 is 2026-03-02)."""
    return struct.pack(">B12sHH16sB", version, base64.urlsafe_b64decode(KID), issued, expires,
                       bytes.fromhex(DIGEST)[:16], len(number) if length is None else length) + number


def _tampered(token):
    position = len(token) - 10  # inside the signature
    return token[:position] + ("B" if token[position] == "A" else "A") + token[position + 1:]


# Keys ----------------------------------------------------------------------------------------------

def test_kid_is_the_rfc_7638_thumbprint_cut_to_16_characters():
    # RFC 8037, appendix A.3: the thumbprint of its Ed25519 example key.
    assert kid_for("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo") == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"[:16]


def test_private_key_file_is_0600_and_never_overwritten(tmp_path):
    path = tmp_path / "keys" / "signing.pem"
    write_private_key(KEY, path)
    assert path.stat().st_mode & 0o777 == 0o600
    before = path.read_bytes()
    with pytest.raises(SigningKeyError, match="refusing to overwrite"):
        write_private_key(generate_private_key(), path)
    assert path.read_bytes() == before
    assert public_key_b64(load_private_key(path)) == public_key_b64(KEY)


def test_loading_a_missing_or_wrong_key_file_says_why(tmp_path):
    with pytest.raises(SigningKeyError, match="does not exist"):
        load_private_key(tmp_path / "none.pem")
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(SigningKeyError, match="not an unencrypted PEM private key"):
        load_private_key(tmp_path / "junk.pem")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "ec.pem").write_bytes(ec_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(SigningKeyError, match="not an Ed25519 key"):
        load_private_key(tmp_path / "ec.pem")


def test_jwk_set_publishes_okp_keys_with_their_status():
    published = jwk_set([PublishedKey(KID, KEYS[KID], "retired")])
    assert published == {"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": KID,
                                    "x": KEYS[KID], "status": "retired"}]}
    assert read_jwk_set(published) == [PublishedKey(KID, KEYS[KID], "retired")]


def test_a_published_kid_that_is_not_its_keys_thumbprint_is_refused():
    published = jwk_set([PublishedKey(kid_for(generate_private_key().public_key()), KEYS[KID])])
    with pytest.raises(SigningKeyError, match="thumbprint"):
        read_jwk_set(published)


# Tokens --------------------------------------------------------------------------------------------

def test_round_trip():
    claims = verify_token(TOKEN, KEYS)
    assert (claims.version, claims.kid, claims.number) == (1, KID, "TNG-2026-0001")
    assert (claims.issued_on, claims.expires_on) == (ISSUED, EXPIRES)
    assert claims.digest_prefix_hex == DIGEST[:32]
    assert len(TOKEN) == 150


def test_every_single_character_change_is_rejected():
    accepted = [(i, c) for i in range(len(TOKEN)) for c in ALPHABET + "."
                if c != TOKEN[i] and not _rejected(TOKEN[:i] + c + TOKEN[i + 1:])]
    assert accepted == []


def test_moving_the_dot_is_rejected():
    bare = TOKEN.replace(".", "")
    dot = TOKEN.index(".")
    moved = [bare[:i] + "." + bare[i:] for i in range(len(bare) + 1) if i != dot]
    assert all(_rejected(token) for token in moved)


def test_truncated_or_extended_tokens_are_rejected():
    assert all(_rejected(TOKEN[:n]) for n in range(len(TOKEN)))
    assert all(_rejected(TOKEN + junk) for junk in ("A", "AA", "AAAA", ".", "=", "==", " ", "\n", ".AAAA"))


# Ids by hand: tokens signed with a key made at import differ between xdist workers, and the
# workers must collect the same test ids.
@pytest.mark.parametrize("token", ["", ".", "..", "a.b", TOKEN.upper(), "ẞ" + TOKEN[1:], "x" * 10_000, None, 42,
                                   "+" + TOKEN[1:], TOKEN[:-1] + "/"],  # base64, not base64url
                         ids=["empty", "dot", "dots", "a.b", "upper", "non-ascii", "huge", "none", "int", "plus",
                              "slash"])
def test_non_tokens_are_malformed(token):
    with pytest.raises(TokenMalformed):
        parse_token(token)


def test_unknown_kid_is_forged():
    with pytest.raises(TokenForged, match="unknown key"):
        verify_token(TOKEN, {})


def test_another_key_claiming_our_kid_is_forged():
    forged = make_token(generate_private_key(), KID, "TNG-2026-0001", ISSUED, EXPIRES, DIGEST)
    assert parse_token(forged).kid == KID
    with pytest.raises(TokenForged, match="bad signature"):
        verify_token(forged, KEYS)


@pytest.mark.parametrize("issued, expires", [(9557, 9557), (9557, 9000)])
def test_dates_out_of_order_are_malformed_even_when_signed(issued, expires):
    with pytest.raises(TokenMalformed, match="dates out of order"):
        verify_token(_signed(_payload(issued=issued, expires=expires)), KEYS)
    with pytest.raises(ValueError):
        make_token(KEY, KID, "TNG-2026-0001", EXPIRES, ISSUED, DIGEST)


@pytest.mark.parametrize("payload, message", [
    (_payload(version=2), "unknown version"),
    (_payload(length=12), "length"),
    (_payload(length=14), "length"),
    (_payload(number=b"\xff\xfe"), "UTF-8"),
    (_payload(number=b"TNG\n0001"), "printable"),
    (_payload()[:34], "too short"),
], ids=["version", "length-short", "length-long", "utf8", "printable", "too-short"])  # stable: the key is random
def test_signed_but_ill_formed_payloads_are_malformed(payload, message):
    with pytest.raises(TokenMalformed, match=message):
        verify_token(_signed(payload), KEYS)


def test_the_hand_built_payload_matches_make_token():
    assert verify_token(_signed(_payload()), KEYS) == verify_token(TOKEN, KEYS)


# Configuration -------------------------------------------------------------------------------------

def test_production_without_signing_key_file_refuses_to_start(monkeypatch):
    monkeypatch.setenv("CNNT_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cnnt.example.vn")
    monkeypatch.delenv("SIGNING_KEY_FILE", raising=False)
    with pytest.raises(ConfigError, match="SIGNING_KEY_FILE"):
        create_app()


def test_signing_key_file_is_read_from_the_environment(monkeypatch, app, tmp_path):
    monkeypatch.setenv("CNNT_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cnnt.example.vn")
    monkeypatch.setenv("SIGNING_KEY_FILE", str(tmp_path / "key.pem"))
    production = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert production.config["SIGNING_KEY_FILE"] == str(tmp_path / "key.pem")


# Verification against the registry -----------------------------------------------------------------


def _verified(token):
    """The ORM path (the page) and the one-query path (the API) must give the same answer."""
    full, fast = verify(token, today_vn()), verify_facts(token, today_vn())
    assert fast.status == full.status
    now = utcnow()
    assert status_payload(fast, now) == status_payload(full, now)
    return full


@pytest.mark.parametrize("status, expired, shown", [
    ("valid", False, "valid"), ("valid", True, "expired"), ("suspended", False, "suspended"),
    ("revoked", False, "revoked"), ("suspended", True, "suspended"),
])
def test_verify_answers_the_certificates_status(app, certified, status, expired, shown):
    world = certified()
    with app.app_context():
        issued_on = today_vn() - timedelta(days=800 if expired else 30)
        expires_on = today_vn() - timedelta(days=1) if expired else None
        certificate = insert_certificate(world, register_signer(), status=status, issued_on=issued_on, expires_on=expires_on)
        verification = _verified(certificate.token)
        assert (verification.status, verification.certificate) == (shown, certificate)
        payload = status_payload(verification)
        assert payload["status"] == shown and payload["checked_at"]
        assert {k: payload["certificate"][k] for k in ("number", "issued_on", "expires_on", "product", "producer",
                                                         "province", "level_label", "year", "superseded_by")} == {
            "number": "TNG-2026-0001", "issued_on": issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat(), "product": "Miến dong 1", "producer": "HTX Na Rì",
            "province": "Thái Nguyên", "level_label": "cấp tỉnh", "year": 2026, "superseded_by": None}


def test_a_superseded_certificate_names_its_replacement(app, certified):
    world = certified()
    with app.app_context():
        signer = register_signer()
        old = insert_certificate(world, signer, sequence=1, status="superseded")
        insert_certificate(world, signer, sequence=2, supersedes=old)
        verification = _verified(old.token)
        assert verification.status == "superseded"
        assert status_payload(verification)["certificate"]["superseded_by"] == "TNG-2026-0002"


def test_a_tampered_or_unknown_token_is_forged_and_says_nothing_more(app, certified):
    world = certified()
    with app.app_context():
        certificate = insert_certificate(world, register_signer())
        unregistered = make_token(generate_private_key(), KID, certificate.number, certificate.issued_on,
                                  certificate.expires_on, certificate.digest)
        for token in (_tampered(certificate.token), "", "nonsense", unregistered):
            verification = _verified(token)
            assert (verification.status, verification.certificate) == ("forged", None)
            assert {k: v for k, v in status_payload(verification).items() if k != "checked_at"} == {
                "status": "forged", "certificate": None}


def test_a_well_signed_token_for_an_unknown_number_is_not_found(app, certified):
    world = certified()
    with app.app_context():
        private_key, key = register_signer()
        insert_certificate(world, (private_key, key))
        token = make_token(private_key, key.kid, "TNG-2026-0999", ISSUED, EXPIRES, DIGEST)
        verification = _verified(token)
        assert verification.status == "not_found"
        assert status_payload(verification)["certificate"] is None
        assert status_payload(verification)["status"] == "not_found"


@pytest.mark.parametrize("change", ["digest", "issued_on", "expires_on", "key"])
def test_a_well_signed_token_that_does_not_match_its_certificate_is_forged(app, certified, change):
    world = certified()
    with app.app_context():
        signer = register_signer()
        certificate = insert_certificate(world, signer)
        fields = {"digest_hex": certificate.digest, "issued_on": certificate.issued_on,
                  "expires_on": certificate.expires_on}
        private_key, key = signer
        if change == "digest":
            fields["digest_hex"] = DIGEST
        elif change == "key":
            private_key, key = register_signer()  # registered, but not the key that signed this certificate
        else:
            fields[change] += timedelta(days=1)
        token = make_token(private_key, key.kid, certificate.number, **fields)
        verification = _verified(token)
        assert (verification.status, verification.certificate) == ("forged", None)


def test_a_certificate_of_a_compromised_key_shows_its_stored_status(app, certified):
    world = certified()
    with app.app_context():
        signer = register_signer()
        certificate = insert_certificate(world, signer)
        signer[1].status = KeyStatus.COMPROMISED  # its certificates not (yet) suspended
        assert _verified(certificate.token).status == "valid"
        signer[1].status = KeyStatus.RETIRED
        mark_compromised(None, signer[1], today_vn())
        assert _verified(certificate.token).status == "suspended"


# Key operations ------------------------------------------------------------------------------------

def test_mark_compromised_suspends_exactly_the_valid_certificates_of_that_key(app, certified, make_user):
    world = certified(4)
    admin = make_user(Role.ADMIN)
    with app.app_context():
        actor = db.session.get(User, admin.id)
        bad, good = register_signer(), register_signer()
        valid = insert_certificate(world, bad, sequence=1, application=0)
        expired = insert_certificate(world, bad, sequence=2, application=1, issued_on=today_vn() - timedelta(days=900),
                         expires_on=today_vn() - timedelta(days=1))
        revoked = insert_certificate(world, bad, sequence=3, application=2, status="revoked")
        other = insert_certificate(world, good, sequence=4, application=3)
        suspended = mark_compromised(actor, bad[1], today_vn())
        db.session.commit()
        assert suspended == [valid]
        assert (valid.status, valid.reason_category, valid.reason) == ("suspended", "key_compromised",
                                                                       COMPROMISED_REASON)
        assert valid.status_changed_by_id == actor.id and valid.status_changed_at is not None
        assert [c.status for c in (expired, revoked, other)] == ["valid", "revoked", "valid"]
        assert bad[1].status == "compromised" and bad[1].compromised_at is not None
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions[-2:] == ["signing_key.compromise", "certificate.suspend"]


def test_registering_a_key_retires_the_scopes_active_key(app_ctx):
    first = register_key(None, public_key_b64(generate_private_key()))
    second = register_key(None, public_key_b64(generate_private_key()))
    db.session.commit()
    assert (first.status, second.status) == ("retired", "active")
    assert first.retired_at is not None
    assert active_key_for(None) == second


def test_current_signer_needs_a_registered_active_key(app, tmp_path, monkeypatch):
    path = tmp_path / "signing.pem"
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(path))
    with app.app_context():
        with pytest.raises(SignerUnavailable, match="does not exist"):
            current_signer(app)
        private_key = generate_private_key()
        write_private_key(private_key, path)
        with pytest.raises(SignerUnavailable, match="not registered"):
            current_signer(app)
        key = register_key(None, public_key_b64(private_key))
        assert current_signer(app)[1] == key
        register_key(None, public_key_b64(generate_private_key()))
        with pytest.raises(SignerUnavailable, match="retired"):
            current_signer(app)


# The command line ----------------------------------------------------------------------------------

def test_keygen_writes_a_0600_key_registers_it_and_refuses_to_overwrite(app, runner, tmp_path):
    path = tmp_path / "signing.pem"
    result = runner.invoke(args=["certificates", "keygen", "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_mode & 0o777 == 0o600
    with app.app_context():
        key = active_key_for(None)
        assert key.public_key == public_key_b64(load_private_key(path))
    assert key.kid in result.output and str(path) in result.output
    before = path.read_bytes()
    again = runner.invoke(args=["certificates", "keygen", "--out", str(path)])
    assert again.exit_code != 0 and "refusing to overwrite" in again.output
    assert path.read_bytes() == before
    with app.app_context():
        assert db.session.scalars(select(SigningKey.kid)).all() == [key.kid]


def test_keygen_for_an_authority_registers_the_key_in_its_scope(app, runner, tmp_path):
    from voting.models import IssuingAuthority

    with app.app_context():
        authority = db.session.scalars(select(IssuingAuthority).order_by(IssuingAuthority.id)).first()
    result = runner.invoke(args=["certificates", "keygen", "--out", str(tmp_path / "a.pem"),
                                 "--authority", authority.code])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert active_key_for(authority).scope == f"authority:{authority.id}"
        assert active_key_for(None) is None
    unknown = runner.invoke(args=["certificates", "keygen", "--out", str(tmp_path / "b.pem"), "--authority", "NOPE"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
    assert not (tmp_path / "b.pem").exists()


def test_compromise_asks_first_then_suspends(app, runner, certified):
    world = certified()
    with app.app_context():
        signer = register_signer()
        insert_certificate(world, signer)
        db.session.commit()
        kid = signer[1].kid
    # "--": a key id is base64url and may start with "-" (CI once drew "-n…", read as an option).
    declined = runner.invoke(args=["certificates", "compromise", "--", kid], input="n\n")
    assert declined.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(SigningKey.status).where(SigningKey.kid == kid)) == "retired"
    result = runner.invoke(args=["certificates", "compromise", "--yes", "--", kid])
    assert result.exit_code == 0, result.output
    assert "1 certificates suspended" in result.output
    with app.app_context():
        assert db.session.scalar(select(Certificate.status)) == "suspended"
    assert runner.invoke(args=["certificates", "compromise", "nosuchkid", "--yes"]).exit_code != 0


def _fresh_token(private_key=KEY, issued_on=None, expires_on=None):
    issued_on = issued_on or today_vn() - timedelta(days=10)
    expires_on = expires_on or issued_on + timedelta(days=365)
    return make_token(private_key, kid_for(private_key.public_key()), "TNG-2026-0001", issued_on, expires_on,
                      DIGEST)


def _jwks_file(tmp_path, status="active"):
    path = tmp_path / "cnnt-keys.json"
    path.write_text(json.dumps(jwk_set([PublishedKey(KID, KEYS[KID], status)])))
    return str(path)


def test_offline_verification_needs_only_the_exported_keys_and_the_token(app, runner, tmp_path):
    assert runner.invoke(args=["certificates", "keygen", "--out", str(tmp_path / "k.pem")]).exit_code == 0
    jwks = tmp_path / "exported.json"
    assert runner.invoke(args=["certificates", "export-keys", "--out", str(jwks)]).exit_code == 0
    token = _fresh_token(load_private_key(tmp_path / "k.pem"))
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", token, "--keys", str(jwks)])
    assert result.exit_code == 0, result.output
    claims = parse_token(token)
    for shown in ("TNG-2026-0001", f"{claims.issued_on:%d/%m/%Y}", f"{claims.expires_on:%d/%m/%Y}", claims.kid,
                  "Chữ ký hợp lệ"):
        assert shown in result.output


@pytest.mark.parametrize("token", [_tampered(_fresh_token()), _fresh_token(generate_private_key()), "not-a-token"],
                         ids=["tampered", "other-key", "not-a-token"])
def test_offline_verification_fails_forged_tokens(tmp_path, token):
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", token, "--keys", _jwks_file(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "GIẢ MẠO" in result.output and "Chữ ký hợp lệ" not in result.output


def test_offline_verification_fails_an_expired_token(tmp_path):
    token = _fresh_token(issued_on=date(2020, 1, 1), expires_on=date(2023, 1, 1))
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", token, "--keys", _jwks_file(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "Chữ ký hợp lệ" in result.output and "HẾT HẠN (expired) since 01/01/2023" in result.output


def test_offline_verification_accepts_the_qr_url_and_a_pem_public_key(tmp_path):
    pem = tmp_path / "public.pem"
    pem.write_bytes(KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", "https://cnnt.example.vn/v/" + _fresh_token(), "--keys", str(pem),
              "--offline"])
    assert result.exit_code == 0, result.output
    assert "Chữ ký hợp lệ" in result.output


def test_offline_verification_distrusts_a_compromised_key(tmp_path):
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", _fresh_token(), "--keys", _jwks_file(tmp_path, "compromised")])
    assert result.exit_code == 1
    assert "KHÓA KÝ BỊ LỘ" in result.output


def test_verify_never_takes_keys_from_the_scanned_site(tmp_path):
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", "https://forger.example/v/" + _fresh_token()])
    assert result.exit_code != 0
    assert "Give --keys" in result.output


@pytest.fixture
def registry():
    """A stand-in registry over HTTP: the published keys and a status to answer."""
    state = {"status": "valid", "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            state["requests"].append(self.path)
            if self.path == "/.well-known/cnnt-keys.json":
                body = jwk_set([PublishedKey(KID, KEYS[KID])])
            elif self.path.startswith("/api/v1/verify/"):
                body = {"status": state["status"], "superseded_by": None}
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["origin"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status, exit_code", [("valid", 0), ("revoked", 1), ("suspended", 1)])
def test_online_verification_reports_the_registrys_current_status(tmp_path, registry, status, exit_code):
    registry["status"] = status
    token = _fresh_token()
    result = offline_app(tmp_path).test_cli_runner().invoke(
        args=["certificates", "verify", f"{registry['origin']}/v/{token}", "--keys", _jwks_file(tmp_path)])
    assert result.exit_code == exit_code, result.output
    assert f"current status ({registry['origin']}): {status}" in result.output
    assert registry["requests"] == [f"/api/v1/verify/{token}"]


def test_with_public_base_url_keys_and_status_come_from_the_official_address(tmp_path, registry):
    token = _fresh_token()
    result = offline_app(tmp_path, registry["origin"]).test_cli_runner().invoke(
        args=["certificates", "verify", "https://forger.example/v/" + token])
    assert result.exit_code == 0, result.output
    assert "is not the official address" in result.output
    assert registry["requests"] == ["/.well-known/cnnt-keys.json", f"/api/v1/verify/{token}"]


def test_an_unreachable_registry_is_said_plainly(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v/{_fresh_token()}"
    offline = offline_app(tmp_path).test_cli_runner()
    result = offline.invoke(args=["certificates", "verify", url, "--keys", _jwks_file(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Cannot reach the registry" in result.output and "offline check only" in result.output
    insisted = offline.invoke(args=["certificates", "verify", url, "--keys", _jwks_file(tmp_path), "--online"])
    assert insisted.exit_code == 1

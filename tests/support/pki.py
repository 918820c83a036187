"""A certification authority built in the tests, as a Vietnamese CA issues: a root, an intermediate, and signing
certificates for an issuing authority (RSA-2048 and ECDSA P-256), one of them revoked with a CRL that says so;
PKCS#12 files with their passphrases, a SoftHSM2 token holding a key, and the ``DOCUMENT_SIGNERS_FILE`` naming
them. Nothing reaches outside the machine.
"""
import atexit
import datetime as dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from voting.demo.pki import issue_certificate, x509_name

PASSPHRASE = b"mat-khau-thu-nghiem"
SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_LABEL, TOKEN_PIN, TOKEN_SO_PIN = "CNNT-TEST", "123456", "12345678"
_NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _name(common_name, organisation="Tổ chức chứng thực thử nghiệm"):
    return x509_name(common_name, organisation)


#: Where the leaf certificates say their CA publishes its revocation list (never fetched: the tests hand the list
#: over in ``crl_files``). pyHanko checks revocation only for a certificate that names a place to check.
CRL_URL = "http://127.0.0.1:9/ca.crl"


def _certificate(key, subject, issuer_key, issuer, *, ca, days=3650, timestamping=False):
    return issue_certificate(key, subject, issuer_key, issuer, ca=ca, days=days, timestamping=timestamping,
                             crl_url=None if ca else CRL_URL)


@dataclass
class Identity:
    key: object
    certificate: x509.Certificate

    @property
    def common_name(self):
        return self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


@dataclass
class TestCA:
    """The CA's files under ``folder``: ``root.pem``, ``ca.crl``, and a PKCS#12 file per signing identity."""

    folder: Path
    root: Identity
    intermediate: Identity
    identities: dict = field(default_factory=dict)  # "rsa", "ecdsa", "revoked" → Identity

    @property
    def root_file(self):
        return self.folder / "root.pem"

    @property
    def crl_file(self):
        return self.folder / "ca.crl"

    def pkcs12_file(self, name):
        return self.folder / f"{name}.p12"

    @property
    def passphrase_file(self):
        return self.folder / "passphrase.txt"

    def signers_file(self, authorities, *, crl=True, name="signers.toml", timestamp_url=None):
        """Write a ``DOCUMENT_SIGNERS_FILE``: ``authorities`` maps an authority code to an identity's name, or to
        a :class:`SoftToken`'s entry (a dict)."""
        lines = [f'trust_roots = ["{self.root_file}"]']
        if crl:
            lines.append(f'crl_files = ["{self.crl_file}"]')
        if timestamp_url:
            lines.append(f'timestamp_url = "{timestamp_url}"')
        for code, identity in authorities.items():
            lines.append(f'[authorities."{code}"]')
            entry = identity if isinstance(identity, dict) else {
                "pkcs12": str(self.pkcs12_file(identity)), "passphrase_file": str(self.passphrase_file)}
            lines.extend(f'{key} = "{value}"' for key, value in entry.items())
        path = self.folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def build_ca(folder, signer_name="SỞ CÔNG THƯƠNG THỬ NGHIỆM"):
    """Create the test CA's keys, certificates, CRL and PKCS#12 files in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(65537, 2048)
    root_name = _name("Root CA thử nghiệm")
    root = Identity(root_key, _certificate(root_key, root_name, root_key, root_name, ca=True))
    inter_key = rsa.generate_private_key(65537, 2048)
    inter_name = _name("CA trung gian thử nghiệm")
    intermediate = Identity(inter_key, _certificate(inter_key, inter_name, root_key, root_name, ca=True))
    ca = TestCA(folder, root, intermediate)
    for name, key in (("rsa", rsa.generate_private_key(65537, 2048)), ("ecdsa", ec.generate_private_key(ec.SECP256R1())),
                      ("revoked", rsa.generate_private_key(65537, 2048))):
        subject = _name(signer_name if name != "revoked" else f"{signer_name} (THU HỒI)", signer_name)
        ca.identities[name] = Identity(key, _certificate(key, subject, inter_key, inter_name, ca=False, days=730))
        ca.pkcs12_file(name).write_bytes(pkcs12.serialize_key_and_certificates(
            name.encode(), key, ca.identities[name].certificate, [intermediate.certificate],
            serialization.BestAvailableEncryption(PASSPHRASE)))
    tsa_key = rsa.generate_private_key(65537, 2048)
    ca.identities["tsa"] = Identity(tsa_key, _certificate(tsa_key, _name("Dịch vụ cấp dấu thời gian thử nghiệm"),
                                                          inter_key, inter_name, ca=False, timestamping=True))
    ca.passphrase_file.write_bytes(PASSPHRASE + b"\n")
    ca.root_file.write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    revoked = (x509.RevokedCertificateBuilder().serial_number(ca.identities["revoked"].certificate.serial_number)
               .revocation_date(_NOW - dt.timedelta(days=1)).build())
    crl = (x509.CertificateRevocationListBuilder().issuer_name(inter_name).last_update(_NOW - dt.timedelta(hours=1))
           .next_update(_NOW + dt.timedelta(days=7)).add_revoked_certificate(revoked)
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(inter_key.public_key()), critical=False)
           .add_extension(x509.CRLNumber(1), critical=False)
           .sign(inter_key, hashes.SHA256()))
    ca.crl_file.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    return ca


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    """A test CA for a module (``ca = pki.ca`` in it): its keys, certificates, CRL and PKCS#12 files in a temporary
    folder."""
    return build_ca(tmp_path_factory.mktemp("ca"))


@dataclass
class SoftToken:
    """A SoftHSM2 token (Debian's softhsm2) holding one identity's key and certificate, as a USB token would."""

    folder: Path
    key_label: str

    @property
    def entry(self):
        return {"pkcs11_module": str(SOFTHSM_MODULE), "token_label": TOKEN_LABEL, "key_label": self.key_label,
                "pin_file": str(self.folder / "pin.txt")}


def softhsm_available():
    return SOFTHSM_MODULE.is_file() and shutil.which("softhsm2-util") is not None


def build_token(folder, identity, ca, key_label="authority-key"):
    """Initialise a token in ``folder`` (SOFTHSM2_CONF points there: set before the module is first loaded)
    and put ``identity``'s private key and its certificate chain on it."""
    folder = Path(folder)
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", TOKEN_PIN,
                    "--so-pin", TOKEN_SO_PIN], check=True, capture_output=True)
    key_file = folder / "key.pem"
    key_file.write_bytes(identity.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(key_file), "--token", TOKEN_LABEL, "--label", key_label,
                    "--id", "01", "--pin", TOKEN_PIN], check=True, capture_output=True)
    key_file.unlink()  # the key lives on the token only
    _put_certificates(identity, ca, key_label)
    (folder / "pin.txt").write_text(TOKEN_PIN + "\n")
    return SoftToken(folder, key_label)


def _put_certificates(identity, ca, key_label):
    """The signing certificate (labelled as its key) and the intermediate, written on the token over PKCS#11."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(str(SOFTHSM_MODULE)).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        for label, certificate, object_id in ((key_label, identity.certificate, b"\x01"),
                                              ("intermediate", ca.intermediate.certificate, b"\x02")):
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: object_id,
                Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: certificate.subject.public_bytes(),
                Attribute.ISSUER: certificate.issuer.public_bytes()})


_TOKEN_WORLDS = {}


def token_world():
    """``(ca, token)``: one test CA and one SoftHSM2 token holding its "rsa" identity, per process.

    SoftHSM2 reads its configuration (``SOFTHSM2_CONF``: where the tokens are) once, when the module is first
    loaded into the process, and python-pkcs11 keeps the module loaded: a second token made in another folder
    would not be seen, and writing to "the token labelled CNNT-TEST" would reach the first one. So every test of
    a process that needs a token shares this one.
    """
    world = _TOKEN_WORLDS.get(os.getpid())
    if world is None:
        folder = Path(tempfile.mkdtemp(prefix="cnnt-softhsm-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        ca = build_ca(folder / "ca")
        world = _TOKEN_WORLDS[os.getpid()] = (ca, build_token(folder / "token", ca.identities["rsa"], ca))
    return world


class LocalTimestampAuthority:
    """An RFC 3161 timestamp authority on 127.0.0.1 (a stand-in: pyHanko's DummyTimeStamper answering over HTTP,
    signing with the test CA's "tsa" identity). ``with LocalTimestampAuthority(ca) as tsa: tsa.url``."""

    def __init__(self, ca):
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps import DummyTimeStamper

        identity = ca.identities["tsa"]
        der = serialization.Encoding.DER
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(identity.certificate.public_bytes(der)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            certs_to_embed=[asn1_x509.Certificate.load(ca.intermediate.certificate.public_bytes(der))])
        self.requests = 0

    def __enter__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from asn1crypto import tsp

        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server's name)
                request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
                body = authority.stamper.request_tsa_response(request).dump()
                authority.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/tsr"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

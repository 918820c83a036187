"""A certification authority for the demo only, so that ``make run`` shows digitally signed certificates and the
public check page has a root to trust: a root, an intermediate, and an RSA-2048 signing certificate for each
issuing authority whose rounds the demo certifies, in PKCS#12 files, and the ``DOCUMENT_SIGNERS_FILE`` naming
them, all under ``instance/demo-pki/`` (development only: the demo refuses to run in production, and production
has no default signers file). Made once, on the demo's first run; its keys are development keys.

The certificate builder is shared with the tests' CA (``tests/support/pki.py``).
"""
import datetime as dt
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_ORGANISATION = "Tổ chức chứng thực minh họa (không có giá trị pháp lý)"


def x509_name(common_name, organisation=DEMO_ORGANISATION):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def issue_certificate(key, subject, issuer_key, issuer, *, ca, days=3650, timestamping=False, crl_url=None):
    """An X.509 certificate for ``key``: a CA's, or a signer's (non-repudiation), or with ``timestamping`` a
    timestamp authority's; a signer's names ``crl_url`` as where its CA publishes revocations."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=30)).not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False)
               .add_extension(x509.KeyUsage(
                   digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                   data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                   encipher_only=False, decipher_only=False), critical=True))
    if timestamping:  # RFC 3161: a TSA's certificate says so, critically
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def build_demo_pki(folder, authorities):
    """Write the demo CA in ``folder``: ``authorities`` is ``[(code, name)]``; returns the signers file's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    root_key, inter_key = rsa.generate_private_key(65537, 2048), rsa.generate_private_key(65537, 2048)
    root_name, inter_name = x509_name("Root CA minh họa"), x509_name("CA minh họa")
    root = issue_certificate(root_key, root_name, root_key, root_name, ca=True)
    intermediate = issue_certificate(inter_key, inter_name, root_key, root_name, ca=True)
    (folder / "root-ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    passphrase = secrets.token_urlsafe(16).encode()
    _write_secret(folder / "passphrase.txt", passphrase + b"\n")
    lines = [f'trust_roots = ["{folder / "root-ca.pem"}"]']
    for code, name in authorities:
        key = rsa.generate_private_key(65537, 2048)
        certificate = issue_certificate(key, x509_name(name.upper(), name), inter_key, inter_name, ca=False,
                                        days=730)
        path = folder / f"{code}.p12"
        _write_secret(path, pkcs12.serialize_key_and_certificates(
            code.encode(), key, certificate, [intermediate], serialization.BestAvailableEncryption(passphrase)))
        lines += [f'[authorities."{code}"]', f'pkcs12 = "{path}"', f'passphrase_file = "{folder / "passphrase.txt"}"']
    signers = folder / "signers.toml"
    signers.write_text("# The demo's signers (development only; `make run` made them).\n" + "\n".join(lines) + "\n",
                       encoding="utf-8")
    return signers


def _write_secret(path, data):
    path.write_bytes(data)
    path.chmod(0o600)

"""An authority's key, opened for pyHanko: a PKCS#12 file read into memory, or a session on a PKCS#11 token.

Opened once per process and kept (:func:`signer_for`): decrypting a PKCS#12 file or logging in to a token
costs tens of milliseconds, and issuance signs hundreds of certificates in a row. The cache is keyed by the
process id, because a PKCS#11 session does not survive a fork (the job runner forks its workers).
"""
import os
import threading
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.general import get_pyca_cryptography_hash, load_certs_from_pemder
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from voting.core.pades.settings import SignersFileError

_opened = {}
_lock = threading.Lock()


class KeyUnavailable(RuntimeError):
    """The authority's key cannot be opened; the message says why (for the administrator's log)."""


@dataclass(frozen=True)
class OpenedSigner:
    """A pyHanko signer and who it signs as."""

    signer: object
    subject_name: str  # the signing certificate's common name (or its whole subject), as a reader shows it

    @property
    def certificate(self):
        return self.signer.signing_cert


class LoadedKeySigner(SimpleSigner):
    """pyHanko's in-memory signer, keeping the key it has loaded.

    ``SimpleSigner`` loads its private key from DER again for every signature, and twice per PDF (the
    signature's size is estimated with a trial signature): with cryptography's RSA key checks that is
    36 ms a load here, most of a certificate's signing time. RSA PKCS#1 v1.5 (what Vietnamese CAs
    issue) and ECDSA sign with the key held; any other mechanism goes the library's way.
    """

    def __init__(self, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self._private_key, EllipticCurvePrivateKey):
            return self._private_key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def signer_for(authority_key):
    """The opened signer of ``authority_key`` (a :class:`~voting.core.pades.settings.AuthorityKey`).

    :raise KeyUnavailable: a file that is not a PKCS#12 key with its certificate, a wrong passphrase, a token
        or a label that is not there, a wrong PIN.
    """
    cache_key = (os.getpid(), authority_key)
    with _lock:
        opened = _opened.get(cache_key)
        if opened is None:
            opened = _opened[cache_key] = _open(authority_key)
        return opened


def forget_opened():
    """Close what :func:`signer_for` opened (a rotated key is then read again)."""
    with _lock:
        for (pid, _), opened in list(_opened.items()):
            session = getattr(opened.signer, "pkcs11_session", None)
            if session is not None and pid == os.getpid():
                session.close()
        _opened.clear()


def _open(authority_key):
    try:
        secret = authority_key.secret()
    except SignersFileError as error:
        raise KeyUnavailable(str(error)) from None
    if authority_key.kind == "pkcs12":
        return _open_pkcs12(authority_key, secret)
    return _open_pkcs11(authority_key, secret)


def _open_pkcs12(authority_key, passphrase):
    where = f"authorities.{authority_key.code}: {authority_key.pkcs12}"
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(authority_key.pkcs12.read_bytes(), passphrase)
    except OSError as error:
        raise KeyUnavailable(f"{where}: {error.strerror}") from None
    except (ValueError, TypeError):
        raise KeyUnavailable(f"{where} is not a PKCS#12 file, or its passphrase is wrong") from None
    if key is None or certificate is None:
        raise KeyUnavailable(f"{where} must hold the private key and its certificate")
    signing_cert = _asn1_certificate(certificate)
    key_info = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    signer = LoadedKeySigner(key, signing_cert=signing_cert, signing_key=key_info,
                             cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(c) for c in others]))
    return OpenedSigner(signer, common_name(signing_cert))


def _open_pkcs11(authority_key, pin):
    # python-pkcs11 loads the module and talks to the token: imported only where a token is configured.
    from pkcs11 import PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    where = f"authorities.{authority_key.code}: token {authority_key.token_label!r}"
    try:
        session = open_pkcs11_session(str(authority_key.pkcs11_module),
                                      token_criteria=TokenCriteria(label=authority_key.token_label),
                                      user_pin=pin.decode() if pin is not None else None)
    except (PKCS11Error, OSError, RuntimeError, ValueError) as error:
        raise KeyUnavailable(f"{where}: cannot open a session ({type(error).__name__}: {error})") from None
    chain = list(load_certs_from_pemder([str(authority_key.chain_file)])) if authority_key.chain_file else None
    try:
        signer = PKCS11Signer(session, key_label=authority_key.key_label,
                              cert_label=authority_key.cert_label or authority_key.key_label,
                              ca_chain=chain, other_certs_to_pull=() if chain is not None else None)
        signing_cert = signer.signing_cert  # fetched now: a missing label fails here, not at the first signature
    except (PKCS11Error, SignersFileError, ValueError) as error:
        session.close()
        raise KeyUnavailable(f"{where}: no certificate or key labelled {authority_key.key_label!r} "
                             f"({type(error).__name__}: {error})") from None
    return OpenedSigner(signer, common_name(signing_cert))


def _asn1_certificate(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def common_name(certificate):
    """What a reader shows as the signer: the certificate's common name, else its whole subject."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly

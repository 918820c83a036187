"""The trust roots and revocation lists named in ``DOCUMENT_SIGNERS_FILE``, read once per file version."""
from functools import lru_cache

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from pyhanko.sign.general import load_certs_from_pemder

from voting.core.pades.settings import SignersFileError


def trust_roots(settings):
    return _roots(settings.trust_roots, tuple(_stamp(path) for path in settings.trust_roots))


def revocation_lists(settings):
    return _crls(settings.crl_files, tuple(_stamp(path) for path in settings.crl_files))


def _stamp(path):
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _roots(paths, _stamps):
    try:
        return list(load_certs_from_pemder([str(path) for path in paths]))
    except (OSError, ValueError) as error:
        raise SignersFileError(f"trust_roots: {error}") from None


@lru_cache(maxsize=8)
def _crls(paths, _stamps):
    lists = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        try:
            lists.append(asn1_crl.CertificateList.load(data))
        except ValueError as error:
            raise SignersFileError(f"crl_files: {path} is not a CRL ({error})") from None
    return lists

"""What an administrator checks after installing or rotating an authority's key: that it opens, whose it is, until
when it is good, and that it chains to the trust roots and is not revoked (``flask documents check-signers``)."""
import asyncio
from dataclasses import dataclass
from datetime import datetime

from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError

from voting.core.pades.signers import KeyUnavailable, common_name, signer_for
from voting.core.pades.signing import validation_context


@dataclass(frozen=True)
class KeyCheck:
    code: str
    kind: str  # "pkcs12" or "pkcs11"
    problem: str | None  # None: usable
    subject: str = ""
    issuer: str = ""
    serial: str = ""
    valid_until: datetime | None = None


def check_key(authority_key, settings):
    """Open ``authority_key`` and validate its certificate now, against ``settings``' roots and revocation data."""
    try:
        opened = signer_for(authority_key)
    except KeyUnavailable as error:
        return KeyCheck(authority_key.code, authority_key.kind, str(error))
    certificate = opened.certificate
    facts = {"subject": opened.subject_name, "issuer": common_name_of_issuer(certificate),
             "serial": format(certificate.serial_number, "X"), "valid_until": certificate.not_valid_after}
    validator = CertificateValidator(certificate, intermediate_certs=list(opened.signer.cert_registry),
                                     validation_context=validation_context(settings))
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except RevokedError as error:
        return KeyCheck(authority_key.code, authority_key.kind, f"the certificate is revoked: {error}", **facts)
    except (PathBuildingError, PathValidationError) as error:
        return KeyCheck(authority_key.code, authority_key.kind,
                        f"the certificate does not chain to trust_roots, or is not valid now: {error}", **facts)
    return KeyCheck(authority_key.code, authority_key.kind, None, **facts)


def common_name_of_issuer(certificate):
    return certificate.issuer.native.get("common_name") or certificate.issuer.human_friendly


def check_all(settings):
    return [check_key(key, settings) for _, key in sorted(settings.authorities.items())]


__all__ = ["KeyCheck", "check_all", "check_key", "common_name"]

"""The certificates' models: certificates and their signing keys, the public registry's table,
scans and reports of suspected fakes, and certificates issued on paper before the platform.

They share the selection's metadata (:data:`voting.extensions.db`) and may import
:mod:`voting.models`, never this package's operations, views or forms.
"""
from certificates.models.certificate import (
    REASON_CATEGORIES,
    Certificate,
    CertificateCounter,
    CertificateStatus,
    KeyStatus,
    PublicStatus,
    ReasonCategory,
    SigningKey,
    public_status,
)
from certificates.models.imported import FIRST_YEAR, IMPORTED_LEVELS, ImportedCertificate
from certificates.models.public import CertificateScanDay, SuspectedFakeReport
from certificates.models.registry import RegistryCertificate, RegistryEntry, RegistryHolder, RegistryTally

__all__ = [
    "REASON_CATEGORIES", "Certificate", "CertificateCounter", "CertificateStatus", "KeyStatus", "PublicStatus", "ReasonCategory", "SigningKey",
    "public_status", "FIRST_YEAR", "IMPORTED_LEVELS", "ImportedCertificate", "CertificateScanDay",
    "SuspectedFakeReport", "RegistryCertificate", "RegistryEntry", "RegistryHolder", "RegistryTally",
]

"""The certification port (voting/rules/certification.py): registered by certificates.init_app, loud when absent."""
from datetime import date

import pytest

from certificates.certification import PlatformCertification
from certificates.models import Certificate, CertificateStatus
from voting.demo import EXTENSION as DEMO_PARTS, seed_part
from voting.rules import certification as port


def test_init_app_registers_the_platform_certification(app, app_ctx):
    assert isinstance(port.certification(), PlatformCertification)
    assert set(app.extensions[DEMO_PARTS]) == {"certificates", "history"}


def test_an_app_without_certification_fails_loudly(app, app_ctx, monkeypatch):
    monkeypatch.delitem(app.extensions, port.EXTENSION)
    with pytest.raises(RuntimeError, match="certificates.init_app"):
        port.certification()


def test_a_demo_part_not_registered_fails_loudly(app, app_ctx, monkeypatch):
    monkeypatch.delitem(app.extensions, DEMO_PARTS)
    with pytest.raises(RuntimeError, match="certificates.init_app"):
        seed_part("certificates", [], date(2026, 1, 1))


def test_the_ports_statuses_are_the_certificates():
    """Voting compares with the port's constants; they must be the stored and public statuses."""
    assert port.VALID == CertificateStatus.VALID
    certificate = Certificate(status=CertificateStatus.VALID, expires_on=date(2026, 1, 1))
    assert certificate.status_on(date(2026, 1, 2)) == port.EXPIRED
    assert certificate.status_on(date(2025, 12, 31)) == port.VALID

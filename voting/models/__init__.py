"""All models, imported here so that Alembic and the app see one metadata."""
from voting.models.audit import AuditEvent
from voting.models.authority import IssuingAuthority
from voting.models.jurisdiction import JurisdictionLevel
from voting.models.producer import Producer, Product
from voting.models.reference import (
    Commune,
    FormerProvince,
    Level,
    ProducerType,
    ProductGroup,
    Province,
    Region,
    ScoringCriterionTemplate,
    ScoringSheetTemplate,
)
from voting.models.user import PasswordResetToken, Role, User

__all__ = [
    "AuditEvent", "Commune", "FormerProvince", "IssuingAuthority", "JurisdictionLevel",
    "Level", "PasswordResetToken", "Producer", "ProducerType", "Product", "ProductGroup",
    "Province", "Region", "Role", "ScoringCriterionTemplate", "ScoringSheetTemplate", "User",
]

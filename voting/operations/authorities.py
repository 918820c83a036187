"""Issuing authorities and region membership, edited by administrators."""
from voting.extensions import db
from voting.models import IssuingAuthority
from voting.operations.accounts import set_jurisdiction
from voting.operations.audit import record_event
from voting.core.text import nfc

_AUTHORITY_FIELDS = ("code", "name", "parent_name", "place_name", "number_template", "active")


def _snapshot(authority):
    return {
        **{name: getattr(authority, name) for name in _AUTHORITY_FIELDS},
        "jurisdiction_level": authority.jurisdiction_level,
        "region_id": authority.region_id, "province_id": authority.province_id,
        "commune_id": authority.commune_id,
    }


def _apply(authority, fields, jurisdiction):
    for name in _AUTHORITY_FIELDS:
        value = fields[name]
        setattr(authority, name, nfc(value) if isinstance(value, str) else value)
    # Same column shape as an organiser's jurisdiction.
    set_jurisdiction(authority, *jurisdiction)


def create_authority(actor, fields, jurisdiction):
    """Create an issuing authority. ``jurisdiction`` is ``(level, region, province, commune)``."""
    authority = IssuingAuthority()
    _apply(authority, fields, jurisdiction)
    db.session.add(authority)
    record_event(actor, "authority.create", authority, data=_snapshot(authority))
    return authority


def update_authority(actor, authority, fields, jurisdiction, reason=""):
    """Change an authority (e.g. after a renaming); the old values go into the log."""
    before = _snapshot(authority)
    _apply(authority, fields, jurisdiction)
    after = _snapshot(authority)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        record_event(actor, "authority.update", authority, reason=reason, data={"changed": changed})
    return changed


def set_authority_artwork(actor, authority, storage_name, mime_type):
    """Set (or, with ``None``, remove) the artwork printed on the authority's certificates.

    Returns the previous storage name, for the caller to delete after the commit.
    """
    previous = authority.artwork_storage_name
    authority.artwork_storage_name, authority.artwork_mime = storage_name, mime_type
    record_event(actor, "authority.set_artwork", authority,
                 data={"artwork": storage_name, "mime_type": mime_type, "previous": previous})
    return previous


def set_authority_seal(actor, authority, storage_name):
    """Set (or, with ``None``, remove) the seal's image (PNG) drawn with the authority's digital signatures.

    Returns the previous storage name, for the caller to delete after the commit.
    """
    previous = authority.seal_storage_name
    authority.seal_storage_name = storage_name
    record_event(actor, "authority.set_seal", authority, data={"seal": storage_name, "previous": previous})
    return previous


def set_province_region(actor, province, region):
    """Move a province to another region (membership is unconfirmed in the rules)."""
    if province.region_id == (region.id if region else None):
        return False
    before = province.region.code if province.region else None
    province.region = region
    record_event(actor, "province.set_region", province,
                 data={"from": before, "to": region.code if region else None})
    return True

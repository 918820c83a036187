"""Products, their set items and files. A product in a submitted dossier is locked."""
from voting.rules.eligibility import dossier_holder
from voting.core.errors import DomainError, DossierLocked
from voting.extensions import db
from voting.models import PENDING_STATUSES, FileKind, Product, ProductFile, ProductSetItem
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.core.text import fold, nfc

MAX_PHOTOS = 12
MAX_DOCUMENTS = 20


def ensure_unlocked(product):
    """Raise :class:`DossierLocked` if an application holds the product's dossier.

    Which applications hold it is :func:`voting.rules.eligibility.holds_dossier`'s rule: an entry
    accepted and certified in an earlier round does not, so a later round's returned dossier
    can be amended.
    """
    holder = dossier_holder(product)
    if holder is None:
        return
    if holder.status in PENDING_STATUSES:
        raise DossierLocked()
    raise DossierLocked("dossier_in_round", round=holder.round.title)


def save_product(actor, producer, product, fields, set_item_names):
    """Create (``product`` None) or update a product of ``producer``; return it."""
    creating = product is None
    if creating:
        product = Product(producer=producer)
        db.session.add(product)
    else:
        ensure_unlocked(product)
    product.name = nfc(fields["name"])
    product.name_folded = fold(product.name)
    product.group_code = fields["group_code"]
    product.description = nfc(fields.get("description") or "")
    product.gtin = fields.get("gtin") or None
    product.is_set = bool(fields.get("is_set"))
    names = [nfc(n) for n in set_item_names if n and n.strip()] if product.is_set else []
    product.set_items = [ProductSetItem(name=name, position=i) for i, name in enumerate(names)]
    record_event(actor, "product.create" if creating else "product.update", product,
                 data={"name": product.name, "group": product.group_code, "set_items": names})
    return product


def add_product_file(actor, product, checked, storage_name, thumbnail_name, original_name, kind,
                     document_type=None):
    """Record a stored, checked file on a product's dossier."""
    ensure_unlocked(product)
    same_kind = [f for f in product.files if f.kind == kind]
    limit = MAX_PHOTOS if kind == FileKind.PHOTO else MAX_DOCUMENTS
    if len(same_kind) >= limit:
        raise DomainError("too_many_files", limit=limit)
    if any(f.sha256 == checked.sha256 for f in product.files):
        raise DomainError("duplicate_file")
    record = ProductFile(
        product=product, kind=kind, document_type=document_type if kind == FileKind.DOCUMENT else None,
        storage_name=storage_name, thumbnail_name=thumbnail_name,
        original_name=(nfc(original_name) or "")[:255], mime_type=checked.mime_type, size=checked.size,
        width=checked.width, height=checked.height, pages=checked.pages, sha256=checked.sha256,
        uploaded_by_id=actor.id if actor else None,
    )
    db.session.add(record)
    record_event(actor, "product.add_file", product,
                 data={"kind": kind, "document_type": document_type, "sha256": checked.sha256})
    return record


def remove_product_file(actor, product_file):
    """Remove a file from a dossier; the caller deletes the stored bytes after commit."""
    ensure_unlocked(product_file.product)
    product = product_file.product
    record_event(actor, "product.remove_file", product,
                 data={"file_id": product_file.id, "sha256": product_file.sha256})
    product.files.remove(product_file)  # delete-orphan: the row goes, and the loaded list agrees


def set_product_published(actor, product, published):
    """Publish or unpublish the product's public page (photos, description, contacts)."""
    product.published_at = utcnow() if published else None
    record_event(actor, "product.publish" if published else "product.unpublish", product)

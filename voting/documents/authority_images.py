"""The pictures an administrator uploads for an issuing authority, inlined into its documents as data: URIs: the
artwork printed on certificates (an emblem or a programme's logo) and the seal drawn with its digital signatures
(:class:`voting.core.pades.stamp.StampLines`). The platform draws neither."""
import base64

from flask import current_app

from voting.core.storage import storage
from voting.core.uploads import read_stored


def artwork_data_uri(authority):
    """The authority's uploaded artwork, or None (its place stays empty)."""
    if authority is None:
        return None
    return _data_uri(authority, authority.artwork_storage_name, authority.artwork_mime, "artwork")


def seal_data_uri(authority):
    """The seal the administrator uploaded (a transparent PNG), or None (the stamp shows its text only)."""
    if authority is None:
        return None
    return _data_uri(authority, authority.seal_storage_name, "image/png", "seal image")


def _data_uri(authority, storage_name, mime_type, what):
    if not storage_name:
        return None
    try:
        data = read_stored(storage("uploads"), storage_name)
    except FileNotFoundError:
        current_app.logger.warning("%s of authority %s is missing", what, authority.code)
        return None
    return f"data:{mime_type};base64,{base64.b64encode(data).decode()}"

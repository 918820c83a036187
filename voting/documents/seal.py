"""The authority's seal image for its digital signature's stamp (:class:`voting.core.pades.stamp.StampLines`)."""
import base64

from flask import current_app

from voting.core.storage import storage
from voting.core.uploads import read_stored


def seal_data_uri(authority):
    """The seal the administrator uploaded (a transparent PNG) as a data: URI, or None (the stamp shows text only)."""
    if authority is None or not authority.seal_storage_name:
        return None
    try:
        data = read_stored(storage("uploads"), authority.seal_storage_name)
    except FileNotFoundError:
        current_app.logger.warning("seal image of authority %s is missing", authority.code)
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode()

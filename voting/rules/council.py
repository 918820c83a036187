"""How the council is listed: a founding decision, the minutes and the pages name its members in one order."""
from voting.core.text import sort_key
from voting.models import COUNCIL_ROLE_ORDER


def seated_in_order(members):
    """The members by seat (chair, vice-chairs, standing members, members, secretary), then by name
    in Vietnamese alphabetical order."""
    return sorted(members, key=lambda m: (COUNCIL_ROLE_ORDER.index(m.role), sort_key(m.full_name)))

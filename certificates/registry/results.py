"""One page of registry search results (:func:`certificates.registry.search.search`)."""
import math
from dataclasses import dataclass

from certificates.models import PublicStatus

#: Matches are counted up to here; beyond, the registry says "more than 1,000" (and pages that far).
COUNT_CAP = 1000


@dataclass
class Results:
    items: list
    page: int
    #: How many rows match, at most :data:`COUNT_CAP`; ``capped``: more than that match.
    total: int
    per_page: int
    capped: bool = False

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return 1 < self.page <= self.pages + 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return min(self.page - 1, self.pages)

    @property
    def next_num(self):
        return self.page + 1


def effective_status(certificate, today):
    """The status as the public sees it on ``today`` (paper without an expiry: "unstated")."""
    if certificate.status == PublicStatus.VALID:
        if certificate.expires_on is None:
            # No token: a paper certificate that never said how long it holds. A token: issued without expiry.
            return "unstated" if certificate.token is None else certificate.status
        if today > certificate.expires_on:
            return "expired"
    return certificate.status

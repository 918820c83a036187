"""One line of a work queue (việc cần làm): what waits, in which round, how many, and where it is done."""
from dataclasses import dataclass, field
from datetime import date

from flask import url_for

#: Days before a deadline from which an item is marked as due soon.
SOON_DAYS = 3


@dataclass(frozen=True)
class WorkItem:
    """A kind of waiting work in one round; the template words it by ``kind`` (``details`` fill the words)."""

    kind: str
    round_id: int
    round_title: str
    count: int
    endpoint: str
    anchor: str | None = None
    #: The date by which it is due (registration closing, the complaint window closing, scoring ending).
    deadline: date | None = None
    #: Extra facts the wording needs: ``jurors`` ((name, missing), ...), ``members``/``quorum`` ...
    details: dict = field(default_factory=dict)
    #: Where it is done when that is not a page of the round (a producer's application): the endpoint's arguments.
    url_args: dict | None = None

    @property
    def url(self):
        return url_for(self.endpoint, **(self.url_args or {"round_id": self.round_id}), _anchor=self.anchor)

    def urgency(self, today):
        """``"overdue"`` past the deadline, ``"soon"`` within :data:`SOON_DAYS` of it, else None."""
        if self.deadline is None:
            return None
        if self.deadline < today:
            return "overdue"
        return "soon" if (self.deadline - today).days <= SOON_DAYS else None


@dataclass
class WorkQueue:
    """The items of one user's queue, in the order to do them: deadlines first, soonest first."""

    items: list

    def __post_init__(self):
        self.items = sorted(self.items, key=lambda item: (item.deadline is None, item.deadline or date.max))

    @property
    def total(self):
        """What the navigation's badge shows: every waiting thing counted once."""
        return sum(item.count for item in self.items)

    def __bool__(self):
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

"""What a decision's list prints of an entry, frozen at the council's vote.

A producer may rename its product or itself, or move to another province, after the decision
(and edit a product its earlier round has certified). A published decision and its annexed list
are official documents: what they list must not change with it. So the council's vote copies the
entry code, the product's and producer's names, the producer's province, its public address (to the
commune: :mod:`voting.rules.addresses`) and the product's group into each :class:`~voting.models.DecisionEntry` (and into the rows of the vote's snapshot, for
the minutes); every rendering of the list reads that copy. An amending decision takes its own
copy at its own vote.

Pages for the organiser and the council may show the current name beside the decided one where
they differ (``templates/_entry_names.html``); the public page and the documents print only what
was decided.
"""
from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.extensions import db
from voting.models import Decision
from voting.rules.addresses import public_address


@dataclass(frozen=True)
class EntryNames:
    """An entry as a list names it; the fields are also ``DecisionEntry``'s columns."""

    entry_code: str = ""
    product_name: str = ""
    producer_name: str = ""
    province_name: str = ""
    group_code: str = ""
    group_name: str = ""
    #: The producer's public address at the vote, to its commune (:mod:`voting.rules.addresses`);
    #: empty on lists voted before addresses were listed, which print the province alone.
    address: str = ""

    def as_dict(self):
        return asdict(self)


NAME_FIELDS = tuple(f.name for f in fields(EntryNames))


def names_now(application):
    """The entry's names as they stand now, from the live product, producer, province and group."""
    product, producer = application.product, application.producer
    return EntryNames(
        entry_code=application.entry_code or "", product_name=product.name, producer_name=producer.name,
        province_name=producer.province.name if producer.province else "", group_code=product.group_code or "",
        group_name=product.group.name if product.group else "", address=public_address(producer))


def names_decided(source):
    """The names a ``DecisionEntry`` (or a snapshot row, a dict) froze."""
    if isinstance(source, dict):
        return EntryNames(**{name: source.get(name, "") or "" for name in NAME_FIELDS})
    return EntryNames(**{name: getattr(source, name) or "" for name in NAME_FIELDS})


def snapshot_names(row, application):
    """The names of a vote's snapshot row; a snapshot written before the names were frozen has none, and
    the entry's current names stand in (an upgraded database has them filled in by its migration)."""
    return names_decided(row) if "product_name" in row else names_now(application)


def latest_carried(round_id):
    """The round's latest vote that carried (its list is the one in force, or about to be), or None."""
    return db.session.scalar(select(Decision).where(Decision.round_id == round_id, Decision.carried.is_(True))
                             .options(selectinload(Decision.entries))
                             .order_by(Decision.sequence.desc()).limit(1))


def listed_names(round_id):
    """``{application id: EntryNames}`` of the entries the round's latest carried vote listed (empty before)."""
    decision = latest_carried(round_id)
    return {e.application_id: names_decided(e) for e in decision.entries} if decision is not None else {}

"""The decision's list, and the pieces every document of a round shares, in the official layout.

- Biên bản họp Hội đồng bình chọn: :mod:`voting.documents.minutes`; the recognition decision:
  :mod:`voting.documents.decision`.
- Danh sách sản phẩm công nghiệp nông thôn tiêu biểu (:func:`decision_list_pdf`):
  the certified list annexed to the authority's decision, signed and sealed.

These are legal documents in Vietnamese, whatever the reader's UI language: nothing
here or in their templates goes through gettext, since a translated copy would not be
the document that was signed. Like the score sheets they are rendered from plain values
(the ``*Doc`` dataclasses below), never from ORM objects, and need an app context only.

Entry codes, product and producer names, provinces and groups are printed as the council's
vote froze them (:mod:`voting.rules.entry_names`), never from the live rows a producer may change
after the decision.

Producers include household businesses, whose street address is personal data
(Nghị định 13/2023/NĐ-CP): the lists print the province only.
"""
import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.rules.entry_names import names_decided, snapshot_names
from voting.extensions import db
from voting.models import Application, DecisionEntry, Producer, Product
from voting.core.pdf import official_date, render_pdf
from voting.rules.results import compute_results, shown
from voting.rules.signer import signer_lines

__all__ = [
    "DecisionListDoc", "ListRow", "OfficialHeader", "Signer", "StruckRow", "as_voted", "authority_lines",
    "decision_list_doc", "decision_list_pdf", "entry_groups", "render_decision_list", "round_place",
]

LIST_TEMPLATE = "pdf/decision_list.html"
COUNCIL_NAME = "Hội đồng bình chọn\nsản phẩm CNNT tiêu biểu"  # printed in capitals, on these two lines
BLANK = "……………"
#: Kinds of body whose name headers print on two lines: the kind, then the place (casefolded, NFC).
BODY_KINDS = ("ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân")


@dataclass(frozen=True, kw_only=True)
class OfficialHeader:
    """The header blocks: issuing body under its parents (left), motto and place-date (right)."""

    issuer: str
    parents: tuple = ()
    number: str = ""
    place_date: str = ""


@dataclass(frozen=True, kw_only=True)
class Signer:
    """A signer block as printed: capacity lines (in capitals), an optional hint, the name."""

    capacity: tuple
    name: str = ""
    hint: str = ""

    @classmethod
    def of(cls, block, hint=""):
        """The printed form of a :class:`~voting.rules.signer.SignerBlock` (its lines by :func:`signer_lines`)."""
        return cls(capacity=signer_lines(block), name=block.name, hint=hint)


@dataclass(frozen=True, kw_only=True)
class ListRow:
    """One entry of a list: entry code, names, province, group code, score as printed, prize."""

    code: str
    product: str
    producer: str
    province: str
    group: str
    score: str
    prize: str = ""


@dataclass(frozen=True, kw_only=True)
class StruckRow:
    """A passing entry the council took off the proposed list, with its reason."""

    code: str
    product: str
    producer: str
    score: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class DecisionListDoc:
    """Danh sách sản phẩm CNNT tiêu biểu annexed to a decision, as plain values.

    An annex (Nghị định 30/2020): its title and the line naming the decision it is attached to, and no
    number, place-date line, signer or "Nơi nhận" of its own — those are the decision's.
    """

    round_title: str
    attached_to: str
    rows: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    footer: str = ""

    @property
    def has_prizes(self):
        return any(row.prize for row in self.rows)


def score_text(value):
    """A score as printed: rounded half-up to 2 places, decimal comma ("85,50"); None → ""."""
    if value is None:
        return ""
    return f"{shown(value):.2f}".replace(".", ",")


def place_date(place, day):
    """ "<place>, ngày dd tháng m năm yyyy", with the leading zeros of Nghị định 30/2020."""
    dd, mm, yyyy = official_date(day)
    return f"{place or BLANK}, ngày {dd} tháng {mm} năm {yyyy}"


def long_date(day):
    dd, mm, yyyy = official_date(day)
    return f"ngày {dd} tháng {mm} năm {yyyy}"


def _row(names, score, prize="", address=""):
    """A list's row from an entry's names (:class:`voting.rules.entry_names.EntryNames`) as voted.

    :param address: the producer's public address frozen at the vote (commune and province); lists voted
        before it was kept print the province.
    """
    return ListRow(code=names.entry_code, product=names.product_name, producer=names.producer_name,
                   province=address or names.province_name, group=names.group_code, score=score_text(score),
                   prize=prize or "")


def entry_groups(names):
    """The legend of the groups in a table: (code, name) as voted, by code."""
    groups = {n.group_code: n.group_name for n in names if n.group_code}
    return sorted(groups.items(), key=lambda item: (len(item[0]), item[0]))


def header_name(name):
    """Break "Ủy ban nhân dân tỉnh X" after the body's kind, as official headers print it.

    The column is too narrow for the whole name in capitals, and wrapping it where it
    falls would leave "NGUYÊN" alone on a line.
    """
    name = unicodedata.normalize("NFC", name)
    folded = name.casefold()
    for kind in BODY_KINDS:
        if folded.startswith(kind + " "):
            return f"{name[:len(kind)]}\n{name[len(kind) + 1:]}"
    return name


def authority_lines(round_):
    """(parent name, authority name) of the round's issuing authority, empty parts left out."""
    authority = round_.authority
    if authority is None:
        return ()
    return tuple(header_name(name) for name in (authority.parent_name, authority.name) if name)


def round_place(round_):
    return round_.authority.place_name if round_.authority else ""


def _load_entries(decision):
    """The decision's certified entries, with the names the vote froze: one query."""
    return db.session.scalars(
        select(DecisionEntry).where(DecisionEntry.decision_id == decision.id).order_by(DecisionEntry.rank)).all()


def _applications(ids):
    """Applications by id with product, group, producer and province: one query."""
    found = db.session.scalars(
        select(Application).where(Application.id.in_(ids))
        .options(selectinload(Application.product).selectinload(Product.group),
                 selectinload(Application.producer).selectinload(Producer.province))).all()
    return {a.id: a for a in found}


def as_voted(decision):
    """What the council voted on, from the snapshot the vote froze (see ``Decision.snapshot``).

    Returns ``(counts, proposed rows, struck rows, names listed)``. Names are those of the vote
    (:mod:`voting.rules.entry_names`). A vote recorded without a snapshot falls back to the round's
    current results.
    """
    snapshot = json.loads(decision.snapshot or "{}")
    if not snapshot:
        results = compute_results(decision.round)
        snapshot = {"entries": len(results.entries), "ranked": len(results.ranked),
                    "passed": len(results.passed), "below_quorum": len(results.below_quorum),
                    "proposed": [{"application_id": e.application.id, "score": str(shown(e.score)),
                                  "prize": e.prize} for e in results.proposed],
                    "struck": [{"application_id": e.application.id, "score": str(shown(e.score)),
                                "reason": e.strike.reason} for e in results.entries if e.strike is not None]}
    apps = _applications([row["application_id"] for row in snapshot["proposed"] + snapshot["struck"]])
    if decision.carried:
        frozen = _load_entries(decision)
        proposed = [_row(names_decided(de), de.score, de.prize) for de in frozen]
        listed = [names_decided(de) for de in frozen]
    else:
        listed = [snapshot_names(r, apps[r["application_id"]]) for r in snapshot["proposed"]]
        proposed = [_row(names, Decimal(r["score"]), r.get("prize", ""))
                    for names, r in zip(listed, snapshot["proposed"], strict=True)]
    struck = []
    for r in snapshot["struck"]:
        names = snapshot_names(r, apps[r["application_id"]])
        struck.append(StruckRow(code=names.entry_code, product=names.product_name, producer=names.producer_name,
                                score=score_text(Decimal(r["score"])), reason=r["reason"]))
        listed.append(names)
    return snapshot, proposed, struck, listed


# The decision's list --------------------------------------------------------------------------------------

def decision_list_doc(decision):
    """Build the list of certified products annexed to the authority's decision (an annex: see
    :class:`DecisionListDoc`).

    :raise ValueError: the decision has no number yet (the vote is not decided).
    """
    if not decision.is_decided:
        raise ValueError("the decision's list needs a decided decision (decision number and date)")
    round_ = decision.round
    entries = _load_entries(decision)
    authority = round_.authority.name if round_.authority else ""
    attached_to = f"Kèm theo Quyết định số {decision.decision_number} {long_date(decision.decision_on)}"
    if authority:
        attached_to += f" của {authority}"
    return DecisionListDoc(
        round_title=round_.title, attached_to=f"({attached_to})",
        rows=[_row(names_decided(de), de.score, de.prize, address=de.address) for de in entries],
        groups=entry_groups([names_decided(de) for de in entries]),
        footer=f"Danh sách kèm theo Quyết định số {decision.decision_number}",
    )


def render_decision_list(doc):
    """Render a :class:`DecisionListDoc` to PDF bytes (A4 landscape)."""
    return render_pdf(LIST_TEMPLATE, {"doc": doc})


def decision_list_pdf(decision):
    """Return the list of products certified by ``decision``, as PDF bytes.

    :raise ValueError: the decision is not decided yet (no number).
    """
    return render_decision_list(decision_list_doc(decision))

"""Biên bản họp Hội đồng bình chọn (:func:`minutes_pdf`): the meeting (number, hours, venue, the founding
decision), who attended, the scoring results, the struck entries and their reasons, the vote and the proposed
list, the closing sentence, signed by the secretary and the member who chaired.

A legal document in Vietnamese whatever the UI language (see :mod:`voting.documents.reports`).
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from voting.core.pades.stamp import LAYOUT as STAMP_LAYOUT
from voting.core.pdf import format_points, render_document
from voting.documents.reports import (
    BLANK, COUNCIL_NAME, OfficialHeader, Signer, as_voted, authority_lines, entry_groups, header_name, long_date,
    place_date, round_place,
)
from voting.extensions import db
from voting.models import CouncilMember, CouncilRole
from voting.rules.council import seated_in_order
from voting.rules.signer import SignerBlock

__all__ = ["MemberRow", "MinutesDoc", "minutes_doc", "minutes_document", "minutes_pdf", "render_minutes"]

MINUTES_TEMPLATE = "pdf/minutes.html"
ROLE_TITLES = {CouncilRole.CHAIR: "Chủ tịch Hội đồng", CouncilRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
               CouncilRole.STANDING_MEMBER: "Ủy viên thường trực", CouncilRole.MEMBER: "Ủy viên",
               CouncilRole.SECRETARY: "Ủy viên kiêm Thư ký"}
MAJORITY_RULES = {"half": "quá nửa số thành viên có mặt tán thành",
                  "two_thirds": "ít nhất hai phần ba số thành viên có mặt tán thành"}

@dataclass(frozen=True, kw_only=True)
class MemberRow:
    """A council member as the minutes list them: present (True), absent (False) or not recorded (None)."""

    name: str
    seat: str
    position: str = ""
    present: bool | None = None


@dataclass(frozen=True, kw_only=True)
class MinutesDoc:
    """Biên bản họp Hội đồng bình chọn, as plain values."""

    header: OfficialHeader
    round_title: str
    meeting_date: str
    place: str
    number: str = ""
    hours: str = ""  # "08 giờ 30 phút" when the meeting's start was recorded
    ended: str = ""  # "11 giờ 15 phút"
    founding: str = ""  # "Quyết định số … ngày … của …", when recorded
    members: list = field(default_factory=list)  # MemberRow, in the founding decision's order
    attendance_taken: bool = False
    members_present: int
    quorum: int
    chair: str = ""
    chair_title: str = "Chủ tịch Hội đồng"
    secretary: str = ""
    entries_scored: int
    entries_ranked: int
    entries_below_quorum: int
    entries_passed: int
    pass_mark: str
    min_sheets: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    carried: bool
    majority_rule: str
    proposed: list = field(default_factory=list)
    struck: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # (code, name) of the groups in the tables
    note: str = ""
    signers: tuple = ()
    footer: str = ""

    @property
    def has_prizes(self):
        return any(row.prize for row in self.proposed)


def _council(round_):
    """The council's members in the founding decision's order (:func:`seated_in_order`)."""
    members = db.session.scalars(select(CouncilMember).where(CouncilMember.round_id == round_.id)).all()
    return seated_in_order(members)


def _hours(value):
    return f"{value.hour:02d} giờ {value.minute:02d} phút" if value else ""


def _presiding(members, present):
    """Who chairs the meeting: the chair, or in their absence the first vice-chair present."""
    for role in (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR):
        member = next((m for m in members if m.role == role and present.get(m.id, True)), None)
        if member is not None:
            return member
    return None


def _founding(round_):
    council = round_.council
    if council is None or not council.is_founded:
        return ""
    return (f"Quyết định số {council.founding_number} ngày {council.founded_on.strftime('%d/%m/%Y')} "
            f"của {header_name(round_.authority.name) if round_.authority else 'cơ quan có thẩm quyền'}")


def minutes_doc(decision):
    """Build the minutes of the council's meeting and vote recorded as ``decision``.

    Counts, the proposed list and the struck entries are those the vote froze
    (the certified list of a carried vote, and the decision's snapshot), so the
    minutes of an old vote never show later changes.
    """
    round_ = decision.round
    counts, proposed, struck, listed = as_voted(decision)
    council = _council(round_)
    present = {row.member_id: row.present for row in decision.attendance}
    presiding = _presiding(council, present)
    secretary = next((m.full_name for m in council if m.role == CouncilRole.SECRETARY), "")
    place = round_place(round_)
    return MinutesDoc(
        # The council issues the minutes; its direct parent is the round's authority.
        header=OfficialHeader(parents=authority_lines(round_)[-1:], issuer=COUNCIL_NAME,
                              number=decision.minutes_number or "", place_date=place_date(place, decision.meeting_on)),
        number=decision.minutes_number or "", hours=_hours(decision.meeting_starts_at),
        ended=_hours(decision.meeting_ends_at), founding=_founding(round_),
        round_title=round_.title, meeting_date=long_date(decision.meeting_on),
        place=decision.meeting_place or place or BLANK,
        members=[MemberRow(name=m.full_name, seat=ROLE_TITLES.get(m.role, m.role),
                           position=", ".join(filter(None, (m.position, m.agency))), present=present.get(m.id))
                 for m in council],
        attendance_taken=bool(present),
        members_present=decision.members_present, quorum=round_.council_quorum,
        chair=presiding.full_name if presiding else "",
        chair_title=ROLE_TITLES[presiding.role] if presiding else "Chủ tịch Hội đồng", secretary=secretary,
        entries_scored=counts["entries"], entries_ranked=counts["ranked"],
        entries_below_quorum=counts["below_quorum"], entries_passed=counts["passed"],
        pass_mark=format_points(round_.pass_mark), min_sheets=round_.min_sheets_per_entry,
        votes_for=decision.votes_for, votes_against=decision.votes_against, votes_abstain=decision.votes_abstain,
        carried=decision.carried, majority_rule=MAJORITY_RULES.get(round_.vote_majority, round_.vote_majority),
        proposed=proposed,
        struck=struck,
        groups=entry_groups(listed),
        note=decision.minutes_note or "",
        signers=(Signer.of(SignerBlock(title="Thư ký", name=secretary), hint="(Ký, ghi rõ họ tên)"),
                 Signer.of(SignerBlock(title=ROLE_TITLES[presiding.role] if presiding else "Chủ tịch Hội đồng",
                                       name=presiding.full_name if presiding else ""),
                           hint="(Ký, ghi rõ họ tên)")),
        footer=f"Biên bản họp Hội đồng bình chọn · {round_.title}",
    )


def minutes_document(doc, digital=None):
    """Lay out a :class:`MinutesDoc` (A4 portrait), with the digital signature's stamp lines in the chair's block
    when ``digital`` is given; the WeasyPrint document."""
    return render_document(MINUTES_TEMPLATE, {"doc": doc, "digital": digital, "stamp": STAMP_LAYOUT})


def render_minutes(doc):
    """Render a :class:`MinutesDoc` to PDF bytes (A4 portrait)."""
    return minutes_document(doc).write_pdf()


def minutes_pdf(decision):
    """Return the minutes of the council's vote recorded as ``decision``, as PDF bytes."""
    return render_minutes(minutes_doc(decision))

"""The rounds' results read the tallies the council's vote keeps (``DecisionTally``): entries, passing and certified
entries per product group, producer's province and producer type as they stood at the vote, so that a group's or a
province's share of a round has its passing count too; a later vote's tally replaces an earlier one's.

Rounds of ``tests.factories.make_deliberating_round`` (Thái Nguyên, provincial, this year, every producer a
cooperative): PASSING entries score 82.00, FAILING ones 50.00 (the pass mark is 70).
"""
from decimal import Decimal

from sqlalchemy import func, select

from certificates.reports.entries import results
from certificates.reports.figures import Area, Filters
from tests.conftest import login
from tests.factories import make_deliberating_round
from tests.helpers import text_of
from tests.support.certificates import FAILING, PASSING, certify
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import (
    Application, Complaint, DecisionTally, Province, Role, Round, StepOrder, User, ValidityFrom,
)
from voting.operations.complaints import answer_complaint, file_complaint
from voting.operations.deliberation import record_decision, record_vote, strike_entry
from voting.rules.signer import SignerBlock

SIGNER = SignerBlock(capacity="kt", head_title="Chủ tịch", title="Phó Chủ tịch", name="Nguyễn Văn Bình")
CA_MAU = "96"


def _move(application, province):
    """The producer moves (as it may, before or after a vote)."""
    application.producer.province_id, application.producer.commune_id = province.id, None


def _counts(tallies, named=False):
    return [(t.name if named else t.key, t.entries, t.passed, t.certified, t.mean_score) for t in tallies]


def test_passing_entries_are_counted_per_group_and_province_as_they_stood_at_the_vote(app, client, make_user):
    # Entries 0-2 in group 2 (two pass), 3-4 in group 1 (one passes, and the council strikes it).
    hall = make_deliberating_round(app, make_user, [PASSING, PASSING, FAILING, PASSING, FAILING],
                                   groups=("2", "2", "2", "1", "1"),
                                   round_settings={"step_order": StepOrder.DECIDE_FIRST,
                                                   "validity_from": ValidityFrom.ISSUE})
    today, year = today_vn(), today_vn().year
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        chair, organiser = db.session.get(User, hall.chair.id), db.session.get(User, hall.organiser.id)
        entries = [db.session.get(Application, i) for i in hall.application_ids]
        ca_mau = db.session.scalar(select(Province).where(Province.code == CA_MAU))
        _move(entries[0], ca_mau)  # before the vote: counted in Cà Mau
        strike_entry(chair, round_, entries[3], "Sản phẩm đã được công nhận ở đợt khác.")
        decision = record_vote(chair, round_, today, 4, 4, 0, 0, "", today)
        record_decision(organiser, decision, f"{hall.round_id}07/QĐ-UBND", today, SIGNER, today)
        _move(entries[2], ca_mau)  # after it: still counted where it stood at the vote
        entries[2].product.group_code = "3"
        db.session.commit()
        ca_mau_id = ca_mau.id

        outcome = results(Area(None), Filters())
        assert _counts(outcome.by_year_level) == [((year, "tinh"), 5, 3, 2, Decimal("82.00"))]
        assert _counts(outcome.by_group) == [("1", 2, 1, 0, None), ("2", 3, 2, 2, Decimal("82.00"))]
        assert _counts(outcome.by_province, named=True) == [("Thái Nguyên", 4, 2, 1, Decimal("82.00")),
                                                ("Cà Mau", 1, 1, 1, Decimal("82.00"))]
        assert [(t.key, t.entries, t.passed, t.certified) for t in outcome.by_producer_type] == [("htx", 5, 3, 2)]
        # Narrowed to one group or one province, a round's share keeps its passing count.
        assert _counts(results(Area(None), Filters(group_code="1")).by_year_level) == [
            ((year, "tinh"), 2, 1, 0, None)]
        assert _counts(results(Area(None), Filters(province_id=ca_mau_id)).by_year_level) == [
            ((year, "tinh"), 1, 1, 1, Decimal("82.00"))]
        assert results(Area(frozenset({ca_mau_id})), Filters(group_code="1")).entries == 0

    admin = make_user(Role.ADMIN)
    assert login(client, admin.email, admin.password).status_code == 302
    body = text_of(client.get("/reports/"))
    table = body.split('id="results-groups-table"', 1)[1].split("</table>", 1)[0]
    rows = [[cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]] for row in table.split("<tr>")[2:]]
    assert rows == [["2", "1", "0", "0,00 %", "—"], ["3", "2", "2", "66,70 %", "82,00"]]


def test_a_later_vote_s_tally_replaces_the_earlier_one_s(app, make_user):
    hall = certify(app, make_user, entries=2, failing=1, close_window=False)  # decided, its window open
    today, year = today_vn(), today_vn().year
    with app.app_context():
        first = results(Area(None), Filters())
        assert _counts(first.by_year_level) == [((year, "tinh"), 3, 2, 2, Decimal("82.00"))]
        assert _counts(first.by_province, named=True) == [("Thái Nguyên", 3, 2, 2, Decimal("82.00"))]

        entries = [db.session.get(Application, i) for i in hall.application_ids]
        _move(entries[0], db.session.scalar(select(Province).where(Province.code == CA_MAU)))
        owner, chair = db.session.get(User, hall.owners[1].id), db.session.get(User, hall.chair.id)
        organiser = db.session.get(User, hall.organiser.id)
        file_complaint(owner, entries[1], "Xin xem lại hồ sơ của sản phẩm.", today)
        complaint = db.session.scalar(select(Complaint).where(Complaint.round_id == hall.round_id))
        answer_complaint(chair, complaint, True, "Hội đồng xét lại danh sách.", True)
        round_ = db.session.get(Round, hall.round_id)
        strike_entry(chair, round_, entries[1], "Hồ sơ thiếu giấy chứng nhận an toàn thực phẩm.")
        amending = record_vote(chair, round_, today, 4, 4, 0, 0, "", today)
        db.session.commit()
        # Voted, not decided yet: the decision in force still counts.
        assert _counts(results(Area(None), Filters()).by_year_level) == _counts(first.by_year_level)

        record_decision(organiser, amending, f"{hall.round_id}06/QĐ-UBND", today, SIGNER, today)
        db.session.commit()
        outcome = results(Area(None), Filters())
        assert _counts(outcome.by_year_level) == [((year, "tinh"), 3, 2, 1, Decimal("82.00"))]  # not 6 entries
        assert _counts(outcome.by_province, named=True) == [("Thái Nguyên", 2, 1, 0, None), ("Cà Mau", 1, 1, 1, Decimal("82.00"))]
        # The first vote keeps its own tally (its minutes and list stand as voted).
        assert db.session.scalar(select(func.count(DecisionTally.id.distinct())).where(
            DecisionTally.decision_id != amending.id)) == 1

"""The pages a juror, the council and the organiser open for a round, and the checks behind them, run as
many SQL statements for a round of 9 entries as for one of 90: nothing loops a query over the entries.

The rounds are built row by row in bulk (the factories' real files would take minutes for 540 entries);
each size gets its own organiser, chair and jurors so that a juror's dashboard holds only rounds of one size.
"""
import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from tests.conftest import create_user, login
from tests.factories import commune_in, make_round
from tests.helpers import counted_queries
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Conflict,
    Decision,
    Producer,
    Product,
    Role,
    Round,
    RoundStatus,
    Score,
    ScoreSheet,
    SheetStatus,
    User,
)
from certificates.models import Certificate, SigningKey
from voting.models.base import utcnow
from voting.operations.council import assign_juror, detect_conflicts, entries_short_of_jurors, set_council_member
from voting.operations.scoring import open_sheet, progress
from voting.queries.organiser_queue import organiser_queue
from voting.rules.commitments import CURRENT_VERSION
from voting.rules.results import compute_results, second_stage_ids

pytestmark = pytest.mark.xdist_group("query_counts")

SIZES = (9, 90)
#: Points for the four criteria: two entries in three pass the mark of 70, the third does not.
PASSING, FAILING = (Decimal(35), Decimal(30), Decimal(8), Decimal(7)), (Decimal(20), Decimal(20), Decimal(5), Decimal(5))
_SERIALS = itertools.count(1)


@dataclass
class Cast:
    """The people of the rounds of one size (``UserRef``): the organiser is also the council's secretary."""

    organiser: object
    chair: object
    jurors: list
    rounds: dict  # status name -> (round id, [application ids in entry order])


def _group(index):
    return "1" if index % 3 == 0 else "2"


def _entries(round_, size, tag):
    """``size`` accepted entries, one producer each, in groups 1, 2, 2, 1, 2, 2 ..."""
    commune = commune_in("19")
    producers = [Producer(name=f"Cơ sở {tag} {i}", name_folded=f"co so {tag} {i}", type_code="htx",
                          registration_number=f"48{next(_SERIALS):08d}", province_id=commune.province_id,
                          commune_id=commune.id, address="Thôn Nà Cà", representative=f"Người đại diện {i}",
                          phone=f"0977{next(_SERIALS):06d}", email=f"coso{next(_SERIALS)}@example.vn")
                 for i in range(size)]
    db.session.add_all(producers)
    db.session.flush()
    products = [Product(producer_id=p.id, name=f"Sản phẩm {tag} {i}", name_folded=f"san pham {tag} {i}",
                        group_code=_group(i), description="Mô tả") for i, p in enumerate(producers)]
    db.session.add_all(products)
    db.session.flush()
    applications = [Application(round_id=round_.id, product_id=p.id, producer_id=p.producer_id,
                                status=ApplicationStatus.ACCEPTED, entry_code=f"{_group(i)}.{i + 1:03d}",
                                commitments=CURRENT_VERSION, commitments_given_at=utcnow())
                    for i, p in enumerate(products)]
    db.session.add_all(applications)
    db.session.flush()
    return applications


def _sheets(round_, applications, jurors, stage, advanced_only=False):
    """Submitted sheets of the eligible ``jurors`` on every entry (or every entry that passes)."""
    leaves = round_.leaf_criteria
    conflicts = {(c.juror_user_id, c.producer_id) for c in db.session.scalars(
        select(Conflict).where(Conflict.round_id == round_.id, Conflict.active.is_(True)))}
    sheets = [(index, ScoreSheet(round_id=round_.id, application_id=application.id, juror_user_id=juror.user_id,
                                 stage=stage, status=SheetStatus.SUBMITTED, submitted_at=utcnow(),
                                 comment="Đạt yêu cầu."))
              for index, application in enumerate(applications) if not (advanced_only and index % 3 == 2)
              for juror in jurors
              if (juror.all_groups or any(g.group_code == _group(index) for g in juror.groups))
              and (juror.user_id, application.producer_id) not in conflicts]
    db.session.add_all([s for _, s in sheets])
    db.session.flush()
    rows = [{"sheet_id": sheet.id, "criterion_id": criterion.id, "points": points, "note": ""}
            for index, sheet in sheets
            for criterion, points in zip(leaves, FAILING if index % 3 == 2 else PASSING, strict=True)]
    db.session.execute(insert(Score), rows)


def _round(cast, size, status):
    organiser = db.session.get(User, cast.organiser.id)
    round_ = make_round(organiser, title=f"Vòng {size} mục, {status}")
    round_.status = RoundStatus.SCREENING
    set_council_member(organiser, round_, db.session.get(User, cast.chair.id), "chair")
    set_council_member(organiser, round_, organiser, "secretary")
    for index, juror in enumerate(cast.jurors):
        assign_juror(organiser, round_, db.session.get(User, juror.id), ["1"] if index == 2 else None)
    applications = _entries(round_, size, f"{size}-{status}")
    # The first juror is in conflict with the first entry's producer.
    db.session.add(Conflict(round_id=round_.id, juror_user_id=cast.jurors[0].id,
                            producer_id=applications[0].producer_id, source="declared", reason="Người thân"))
    # The second juror's flags on every producer, all dismissed: listed on the council pages, no effect.
    db.session.add_all([Conflict(round_id=round_.id, juror_user_id=cast.jurors[1].id, producer_id=a.producer_id,
                                 source="same_contact", reason="same phone", active=False,
                                 dismissed_by_id=cast.chair.id, dismissed_reason="Tổng đài chung")
                        for a in applications])
    db.session.flush()
    # Every juror but the last submits; the last keeps sheets to open. Two sheets make the quorum.
    round_.min_sheets_per_entry = 2
    jurors = round_.jurors[:-1]
    _sheets(round_, applications, jurors, 1)
    if status == "second":
        round_.second_stage = True
        _sheets(round_, applications, jurors[:2], 2, advanced_only=True)
    if status == "certifying":
        _certificates(round_, applications, organiser)
    round_.status = {"scoring": RoundStatus.SCORING, "second": RoundStatus.SECOND_SCORING,
                     "deliberation": RoundStatus.DELIBERATION, "certifying": RoundStatus.CERTIFYING}[status]
    return round_.id, [a.id for a in applications]


def _certificates(round_, applications, organiser):
    """A published decision and a certificate per entry (unsigned: the list only shows them)."""
    today = today_vn()
    key = db.session.scalar(select(SigningKey)) or SigningKey(kid="test-kid", public_key="test-public-key")
    decision = Decision(round_id=round_.id, meeting_on=today, members_present=5, votes_for=5, votes_against=0,
                        votes_abstain=0, carried=True, recorded_by_id=organiser.id, decision_number=f"{round_.id}/QĐ",
                        decision_on=today, decided_by_id=organiser.id, published_at=utcnow())
    db.session.add_all([key, decision])
    db.session.flush()
    db.session.execute(insert(Certificate), [
        {"number": f"TN-{round_.id}-{i:03d}", "authority_id": round_.authority_id, "level": round_.jurisdiction_level,
         "year": round_.year, "sequence": round_.id * 1000 + i + 1, "round_id": round_.id,
         "application_id": a.id, "decision_id": decision.id, "snapshot": "{}", "digest": "0" * 64,
         "signing_key_id": key.id, "token": "-", "issued_on": today, "expires_on": today + timedelta(days=1095)}
        for i, a in enumerate(applications)])


@pytest.fixture(scope="module")
def casts(app, module_rows):
    """For each size, a cast and four rounds: scoring, second scoring, deliberation, certifying."""
    made = {}
    for size in SIZES:
        people = {name: create_user(app, role, f"{name}{size}@example.vn")
                  for name, role in (("organiser", Role.ORGANISER), ("chair", Role.JUROR))}
        jurors = [create_user(app, Role.JUROR, f"juror{i}-{size}@example.vn") for i in range(4)]
        cast = Cast(people["organiser"], people["chair"], jurors, {})
        with app.app_context():
            for status in ("scoring", "second", "deliberation", "certifying"):
                cast.rounds[status] = _round(cast, size, status)
            db.session.commit()
        made[size] = cast
    return made


def _counted(app, call):
    with app.app_context():
        db.session.remove()
        with counted_queries(db.engine) as statements:
            call()
        db.session.rollback()
    return len(statements)


def _same_for_every_size(app, casts, call):
    counts = {size: _counted(app, lambda size=size: call(casts[size])) for size in SIZES}
    assert counts[9] == counts[90], counts
    return counts


@pytest.mark.parametrize("status", ["scoring", "second"])
def test_progress_runs_the_same_queries_for_9_and_90_entries(app, casts, status):
    def call(cast):
        round_ = db.session.get(Round, cast.rounds[status][0])
        counts = progress(round_)
        assert counts[cast.jurors[3].id][1] > 0

    _same_for_every_size(app, casts, call)


def test_progress_counts_what_the_jurors_may_score(app, casts):
    with app.app_context():
        cast = casts[9]
        round_ = db.session.get(Round, cast.rounds["scoring"][0])
        jurors = [j.id for j in cast.jurors]
        # 9 entries: 3 in group 1; the first juror's conflict takes entry 1.001; the third scores group 1 only.
        assert progress(round_) == {jurors[0]: (8, 8), jurors[1]: (9, 9), jurors[2]: (3, 3), jurors[3]: (0, 9)}
        second = db.session.get(Round, cast.rounds["second"][0])
        advanced = second_stage_ids(second)
        assert len(advanced) == 6
        assert progress(second) == {jurors[0]: (5, 5), jurors[1]: (6, 6), jurors[2]: (0, 3), jurors[3]: (0, 6)}


def test_the_organisers_queue_runs_the_same_queries_for_9_and_90_entries(app, casts):
    def call(cast):
        with app.test_request_context():
            assert organiser_queue(db.session.get(User, cast.organiser.id)).total

    _same_for_every_size(app, casts, call)


def test_the_organisers_queue_counts_the_sheets_progress_counts(app, casts):
    """The queue counts first-stage sheets in SQL; the scoring pages count them with progress(): the same."""
    with app.test_request_context():
        cast = casts[9]
        queue = organiser_queue(db.session.get(User, cast.organiser.id))
        for status in ("scoring", "second"):
            round_ = db.session.get(Round, cast.rounds[status][0])
            names = {j.user_id: j.user.display_name for j in round_.jurors}
            expected = sorted((names[user_id], wanted - done) for user_id, (done, wanted) in progress(round_).items()
                              if wanted > done)
            item = next(i for i in queue if i.kind == "sheets" and i.round_id == round_.id)
            assert sorted(item.details["jurors"]) == expected and item.count == sum(n for _, n in expected)


def test_entries_short_of_jurors_runs_the_same_queries_for_9_and_90_entries(app, casts):
    def call(cast):
        round_ = db.session.get(Round, cast.rounds["scoring"][0])
        round_.min_sheets_per_entry = 4
        assert entries_short_of_jurors(round_)

    _same_for_every_size(app, casts, call)


def test_detect_conflicts_runs_the_same_queries_for_9_and_90_entries(app, casts):
    def call(cast):
        round_ = db.session.get(Round, cast.rounds["scoring"][0])
        round_.status = RoundStatus.SCREENING
        # The fourth juror shares the first producer's phone: one new flag; the second's dismissed ones stay.
        db.session.get(User, cast.jurors[3].id).phone = db.session.get(
            Application, cast.rounds["scoring"][1][0]).producer.phone
        flags = detect_conflicts(db.session.get(User, cast.organiser.id), round_)
        assert [(f.juror_user_id, f.source) for f in flags] == [(cast.jurors[3].id, "same_contact")]

    _same_for_every_size(app, casts, call)


def test_open_sheet_in_the_second_stage_runs_the_same_queries_for_9_and_90_entries(app, casts):
    def call(cast):
        round_id, application_ids = cast.rounds["second"]
        juror = db.session.get(User, cast.jurors[3].id)
        open_sheet(juror, db.session.get(Application, application_ids[1]), juror)

    _same_for_every_size(app, casts, call)


def test_results_run_the_same_queries_for_9_and_90_entries(app, casts):
    def call(cast):
        assert compute_results(db.session.get(Round, cast.rounds["second"][0])).ranked

    _same_for_every_size(app, casts, call)


PAGES = [
    ("juror", "/jury/", None),
    ("juror", "/jury/rounds/{round_id}", "scoring"),
    ("juror", "/jury/rounds/{round_id}", "second"),
    ("juror", "/jury/rounds/{round_id}/entries/{entry_id}", "scoring"),
    ("juror", "/jury/rounds/{round_id}/entries/{entry_id}", "second"),
    ("chair", "/council/", None),
    ("chair", "/council/rounds/{round_id}", "scoring"),
    ("organiser", "/council/rounds/{round_id}/paper", "scoring"),
    ("chair", "/rounds/{round_id}/results", "deliberation"),
    ("organiser", "/organiser/", None),
    ("organiser", "/organiser/rounds/{round_id}", "scoring"),
    ("organiser", "/organiser/rounds/{round_id}/council", "scoring"),
    ("organiser", "/organiser/rounds/{round_id}/progress", "scoring"),
    ("organiser", "/organiser/rounds/{round_id}/progress", "second"),
    ("organiser", "/certificates/rounds/{round_id}", "certifying"),
]


@pytest.mark.parametrize(("who", "url", "status"), PAGES, ids=[f"{w}:{u}:{s}" for w, u, s in PAGES])
def test_page_runs_the_same_queries_for_9_and_90_entries(app, casts, monkeypatch, who, url, status):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    counts = {}
    for size in SIZES:
        cast = casts[size]
        user = {"juror": cast.jurors[3], "chair": cast.chair, "organiser": cast.organiser}[who]
        round_id, application_ids = cast.rounds[status] if status else (None, [None, None])
        path = url.format(round_id=round_id, entry_id=application_ids[1])
        client = app.test_client()
        assert login(client, user.email, user.password).status_code == 302
        assert client.get(path).status_code == 200  # warm what does not depend on the round; opens the draft
        with app.app_context(), counted_queries(db.engine) as statements:
            page = client.get(path)
        assert page.status_code == 200
        counts[size] = len(statements)
    assert counts[9] == counts[90], counts

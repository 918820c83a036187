"""Round lifecycle to deliberation, council and jury, conflicts and score sheets (operations)."""
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_entries, make_round
from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import Application, AuditEvent, Conflict, RoundStatus, ScoreSheet, SheetStatus, User
from voting.operations.council import (
    assign_juror,
    declare_conflict,
    detect_conflicts,
    dismiss_conflict,
    set_council_member,
)
from voting.operations.rounds import PreconditionFailed, open_scoring, start_deliberation
from voting.operations.scoring import (
    ScoresInvalid,
    enter_paper_sheet,
    open_sheet,
    progress,
    reopen_sheet,
    save_draft,
    submit_sheet,
)

FULL = {"1": "35", "2": "30.5", "3": "8", "4": "7"}


@pytest.fixture
def world(app, make_user):
    """A Thái Nguyên round in screening with 3 accepted entries, 4 jurors, a chair and a secretary."""
    refs = {
        "organiser": make_user("organiser", province_code="19"),
        "owners": [make_user("producer") for _ in range(3)],
        "jurors": [make_user("juror") for _ in range(4)],
        "chair": make_user("juror"),
    }
    with app.app_context():
        load = lambda ref: db.session.get(User, ref.id)  # noqa: E731
        organiser = load(refs["organiser"])
        round_ = make_round(organiser)
        entries = make_entries(organiser, [load(o) for o in refs["owners"]], round_)
        set_council_member(organiser, round_, load(refs["chair"]), "chair")
        set_council_member(organiser, round_, organiser, "secretary")
        db.session.commit()
        yield {"round": round_, "entries": entries, "organiser": organiser, "chair": load(refs["chair"]),
               "jurors": [load(j) for j in refs["jurors"]]}


def _assign_all(world, count=3):
    for juror in world["jurors"][:count]:
        assign_juror(world["organiser"], world["round"], juror)


def _criteria_ids(round_):
    return {c.code: str(c.id) for c in round_.leaf_criteria}


def _points(round_, by_code):
    ids = _criteria_ids(round_)
    return {ids[code]: value for code, value in by_code.items()}


def test_round_copies_the_official_sheet(world):
    round_ = world["round"]
    assert [(c.code, c.max_points) for c in round_.criteria] == [
        ("1", Decimal(40)), ("2", Decimal(40)), ("3", Decimal(10)), ("4", Decimal(10))]
    assert round_.pass_mark == Decimal(70) and round_.point_step == Decimal("0.5")


def test_scoring_cannot_open_with_too_few_jurors(world):
    _assign_all(world, count=2)
    with pytest.raises(PreconditionFailed) as failure:
        open_scoring(world["organiser"], world["round"])
    codes = {code for code, _ in failure.value.problems}
    assert codes == {"too_few_jurors"}
    assert world["round"].status == RoundStatus.SCREENING


def test_jurors_by_group_count_only_for_their_group(world):
    _assign_all(world, count=2)
    assign_juror(world["organiser"], world["round"], world["jurors"][2], ["1"])
    with pytest.raises(PreconditionFailed) as failure:
        open_scoring(world["organiser"], world["round"])
    short = {params["entry_code"] for code, params in failure.value.problems}
    assert short == {"2.001", "2.002"}


def test_scoring_opens_and_is_audited(world):
    _assign_all(world)
    open_scoring(world["organiser"], world["round"])
    assert world["round"].status == RoundStatus.SCORING
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.open_scoring")) is not None


def test_declared_conflict_makes_an_entry_short(world):
    _assign_all(world)
    entry = world["entries"][0]
    declare_conflict(world["jurors"][0], world["round"], entry.producer, "Người thân làm ở cơ sở này")
    with pytest.raises(PreconditionFailed) as failure:
        open_scoring(world["organiser"], world["round"])
    assert [p["entry_code"] for _, p in failure.value.problems] == [entry.entry_code]


def test_detected_conflict_and_dismissed_false_flag(world):
    _assign_all(world, count=4)
    juror, entry = world["jurors"][1], world["entries"][1]
    juror.phone = entry.producer.phone
    flags = detect_conflicts(world["organiser"], world["round"])
    assert [(f.juror_user_id, f.producer_id, f.source) for f in flags
            if f.juror_user_id == juror.id] == [(juror.id, entry.producer_id, "same_contact")]
    with pytest.raises(DomainError):
        dismiss_conflict(world["chair"], flags[0], "")
    dismiss_conflict(world["chair"], flags[0], "Số điện thoại tổng đài chung, không liên quan")
    assert not flags[0].active
    assert detect_conflicts(world["organiser"], world["round"]) == []  # a dismissed flag stays dismissed


def test_detection_rules_can_be_switched_off(world):
    _assign_all(world)
    world["jurors"][0].phone = world["entries"][0].producer.phone
    world["round"].detect_same_contact = False
    assert detect_conflicts(world["organiser"], world["round"]) == []


@pytest.fixture
def scoring(world):
    _assign_all(world)
    open_scoring(world["organiser"], world["round"])
    db.session.commit()
    return world


@pytest.mark.parametrize("raw, error", [
    ("40.5", "above_max"), ("-1", "negative"), ("12.3", "off_step"), ("mười", "not_a_number"),
    ("nan", "not_a_number"), ("1e3", "above_max"),
])
def test_bad_points_are_refused_and_nothing_changes(scoring, raw, error):
    juror, entry = scoring["jurors"][0], scoring["entries"][0]
    sheet = open_sheet(juror, entry, juror)
    save_draft(juror, sheet, _points(scoring["round"], {"1": "20"}), comment="Tốt")
    db.session.commit()
    with pytest.raises(ScoresInvalid) as failure:
        save_draft(juror, sheet, _points(scoring["round"], {"1": raw, "2": "10"}), comment="Sửa")
    db.session.rollback()
    assert list(failure.value.errors.values()) == [error]
    assert [s.points for s in sheet.scores] == [Decimal("20")]
    assert sheet.comment == "Tốt"


def test_a_criterion_not_on_the_sheet_is_refused(scoring):
    juror, entry = scoring["jurors"][0], scoring["entries"][0]
    sheet = open_sheet(juror, entry, juror)
    with pytest.raises(ScoresInvalid) as failure:
        save_draft(juror, sheet, {"999999": "5"}, comment="x")
    assert failure.value.errors == {"999999": "unknown_criterion"}


def test_submit_needs_every_criterion_and_a_comment(scoring):
    juror, entry = scoring["jurors"][0], scoring["entries"][0]
    sheet = open_sheet(juror, entry, juror)
    save_draft(juror, sheet, _points(scoring["round"], {"1": "30"}), comment="")
    with pytest.raises(ScoresInvalid) as failure:
        submit_sheet(juror, sheet, sheet.version)
    assert failure.value.errors["comment"] == "comment_required"
    assert sum(1 for v in failure.value.errors.values() if v == "missing") == 3


def test_submit_locks_and_totals(scoring):
    juror, entry = scoring["jurors"][0], scoring["entries"][0]
    sheet = open_sheet(juror, entry, juror)
    save_draft(juror, sheet, _points(scoring["round"], FULL), comment="Sản phẩm có thị trường ổn định")
    submit_sheet(juror, sheet, sheet.version)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.total == Decimal("80.5")
    with pytest.raises(DomainError):
        save_draft(juror, sheet, _points(scoring["round"], {"1": "10"}), comment="x")


def test_another_jurors_sheet_cannot_be_written(scoring):
    owner, other, entry = scoring["jurors"][0], scoring["jurors"][1], scoring["entries"][0]
    sheet = open_sheet(owner, entry, owner)
    with pytest.raises(DomainError) as failure:
        save_draft(other, sheet, _points(scoring["round"], FULL), comment="x")
    assert failure.value.code == "not_your_sheet"


def test_a_conflicted_juror_cannot_open_the_sheet(world):
    _assign_all(world, count=4)
    juror, entry = world["jurors"][0], world["entries"][0]
    declare_conflict(juror, world["round"], entry.producer, "Họ hàng")
    open_scoring(world["organiser"], world["round"])
    with pytest.raises(DomainError) as failure:
        open_sheet(juror, entry, juror)
    assert failure.value.code == "conflicted"


def test_no_scoring_outside_the_scoring_phase(world):
    _assign_all(world)
    juror = world["jurors"][0]
    with pytest.raises(DomainError) as failure:
        open_sheet(juror, world["entries"][0], juror)
    assert failure.value.code == "not_scoring_phase"


def test_the_chair_reopens_with_a_reason(scoring):
    juror, entry = scoring["jurors"][0], scoring["entries"][0]
    sheet = open_sheet(juror, entry, juror)
    save_draft(juror, sheet, _points(scoring["round"], FULL), comment="Ổn")
    submit_sheet(juror, sheet, sheet.version)
    with pytest.raises(DomainError):
        reopen_sheet(juror, sheet, "tự mở")
    reopen_sheet(scoring["chair"], sheet, "Giám khảo ghi nhầm điểm tiêu chí 2")
    assert sheet.status == SheetStatus.DRAFT
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sheet.reopen"))
    assert event.reason == "Giám khảo ghi nhầm điểm tiêu chí 2"


def test_secretary_enters_a_paper_sheet_as_proxy(scoring):
    secretary, juror, entry = scoring["organiser"], scoring["jurors"][2], scoring["entries"][1]
    sheet = enter_paper_sheet(secretary, entry, juror, _points(scoring["round"], FULL), "Phiếu giấy, chữ ký đủ")
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.juror_user_id == juror.id and sheet.entered_by_id == secretary.id
    with pytest.raises(DomainError):
        enter_paper_sheet(scoring["jurors"][0], entry, juror, {}, "x")


def test_progress_and_deliberation_needs_every_sheet(scoring):
    round_ = scoring["round"]
    with pytest.raises(PreconditionFailed):
        start_deliberation(scoring["organiser"], round_)
    for juror in scoring["jurors"][:3]:
        for entry in scoring["entries"]:
            sheet = open_sheet(juror, entry, juror)
            save_draft(juror, sheet, _points(round_, FULL), comment="Đạt")
            submit_sheet(juror, sheet, sheet.version)
    assert progress(round_)[scoring["jurors"][0].id] == (3, 3)
    start_deliberation(scoring["organiser"], round_)
    assert round_.status == RoundStatus.DELIBERATION
    with pytest.raises(InvalidTransition):
        open_scoring(scoring["organiser"], round_)


def test_the_same_sheet_submitted_twice_at_once(app, scoring):
    """Two requests submit the same draft at the same moment: exactly one wins."""
    juror, entry = scoring["jurors"][0], scoring["entries"][0]
    sheet = open_sheet(juror, entry, juror)
    save_draft(juror, sheet, _points(scoring["round"], FULL), comment="Đạt")
    db.session.commit()
    sheet_id, version, juror_id = sheet.id, sheet.version, juror.id
    outcomes, start = [], threading.Barrier(2)

    def submit():
        with app.app_context():
            try:
                start.wait()
                submit_sheet(db.session.get(User, juror_id), db.session.get(ScoreSheet, sheet_id), version)
                db.session.commit()
                outcomes.append("ok")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(error.code)
            except Exception as error:  # noqa: BLE001 - SQLite may report the lock itself
                db.session.rollback()
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "sheet_changed"]
    db.session.expire_all()
    assert db.session.get(ScoreSheet, sheet_id).status == SheetStatus.SUBMITTED
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sheet.submit")) is not None


def test_two_jurors_submitting_at_once_both_count(app, scoring):
    """Two jurors submit their sheets for the same entry at the same moment: both are kept."""
    from tests.support.concurrency import run_together
    from voting.operations.audit import verify_chain

    entry = scoring["entries"][0]
    prepared = []
    for juror in scoring["jurors"][:2]:
        sheet = open_sheet(juror, entry, juror)
        save_draft(juror, sheet, _points(scoring["round"], FULL), comment="Đạt yêu cầu")
        db.session.commit()
        prepared.append((juror.id, sheet.id, sheet.version))

    def submitter(juror_id, sheet_id, version):
        return lambda: submit_sheet(db.session.get(User, juror_id), db.session.get(ScoreSheet, sheet_id), version)

    outcomes = run_together(app, *(submitter(*p) for p in prepared))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    db.session.expire_all()
    assert [db.session.get(ScoreSheet, sheet_id).status for _, sheet_id, _ in prepared] == ["submitted"] * 2
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sheet.submit")).all()) == 2
    assert verify_chain().ok


def test_applications_are_untouched_by_scoring(scoring):
    assert {a.status for a in db.session.scalars(select(Application))} == {"accepted"}
    assert db.session.scalar(select(Conflict)) is None

"""Rounds with known waiting work, for the work queues' tests (tests/voting/test_work_queue.py, test_jury_queue.py)."""
from tests.factories import found_council, make_complete_product, make_entries, make_producer, make_round
from voting.core.clock import today_vn
from voting.extensions import db
from voting.operations.applications import start_application, submit_application
from voting.operations.council import assign_juror, declare_conflict, set_council_member
from voting.operations.rounds import open_scoring
from voting.operations.scoring import open_sheet, save_draft, submit_sheet
from voting.rules.commitments import commitment_codes

POINTS = ("30", "30", "8", "8")


def submitted_dossiers(organiser, owners):
    """A round taking registrations with one submitted dossier per owner."""
    round_ = make_round(organiser, title="Vòng nhận hồ sơ")
    for index, owner in enumerate(owners):
        producer = make_producer(owner, name=f"Cơ sở chờ {index}", registration_number=f"46000000{index:02d}",
                                 phone=f"09111111{index:02d}")
        product = make_complete_product(owner, producer, name=f"Sản phẩm chờ {index}")
        application = start_application(owner, producer, product, round_, today_vn())
        submit_application(owner, application, today_vn(), commitment_codes())
    return round_


def scoring_round(organiser, owners, people):
    """Three entries, three jurors: the first scores all, the second one, the third two; then the first
    declares a conflict with the last entry's producer (leaving it two jurors of the three it needs)."""
    round_ = make_round(organiser, title="Vòng đang chấm")
    applications = make_entries(organiser, owners, round_)
    chair, member, *jurors = people
    set_council_member(organiser, round_, chair, "chair")
    set_council_member(organiser, round_, organiser, "secretary")
    set_council_member(organiser, round_, member, "member")
    round_.council_quorum = 4  # three members seated: one short of the vote
    found_council(organiser, round_)
    for juror in jurors:
        assign_juror(organiser, round_, juror)
    open_scoring(organiser, round_)
    leaves = round_.leaf_criteria
    for juror, scored in zip(jurors, (3, 1, 2), strict=True):
        for application in applications[:scored]:
            sheet = open_sheet(juror, application, juror)
            save_draft(juror, sheet, {str(c.id): v for c, v in zip(leaves, POINTS, strict=True)}, comment="Đạt.")
            db.session.flush()
            submit_sheet(juror, sheet, sheet.version)
    declare_conflict(jurors[0], round_, applications[2].producer, "Người thân")
    return round_

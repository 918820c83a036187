"""A round in scoring as the council and jury pages' tests build it (tests/voting/test_council_ui.py,
tests/voting/test_jury_ui.py, tests/test_number_inputs.py)."""
from dataclasses import dataclass

import pytest

from tests.factories import make_entries, make_round
from tests.support.world_cache import shared_world
from voting.extensions import db
from voting.models import User
from voting.operations.council import assign_juror, detect_conflicts, set_council_member
from voting.operations.rounds import open_scoring
from voting.operations.scoring import open_sheet, save_draft, submit_sheet


@pytest.fixture
def council(app, make_user):
    return build_council(app, make_user)


@shared_world
def build_council(app, make_user):
    """A round in scoring: a chair, the organiser as secretary, four jurors (the fourth in conflict with
    the first entry's producer), three entries, and one submitted sheet."""
    refs = {"organiser": make_user("organiser", province_code="19"), "chair": make_user("juror"),
            "owners": [make_user("producer") for _ in range(3)], "jurors": [make_user("juror") for _ in range(4)]}
    with app.app_context():
        load = lambda ref: db.session.get(User, ref.id)  # noqa: E731
        organiser = load(refs["organiser"])
        round_ = make_round(organiser)
        entries = make_entries(organiser, [load(o) for o in refs["owners"]], round_)
        set_council_member(organiser, round_, load(refs["chair"]), "chair")
        set_council_member(organiser, round_, organiser, "secretary")
        for juror in refs["jurors"]:
            assign_juror(organiser, round_, load(juror))
        load(refs["jurors"][3]).phone = entries[0].producer.phone
        detect_conflicts(organiser, round_)
        open_scoring(organiser, round_)
        first = load(refs["jurors"][0])
        sheet = open_sheet(first, entries[0], first)
        save_draft(first, sheet, {str(c.id): "5" for c in round_.leaf_criteria}, comment="Đạt yêu cầu")
        submit_sheet(first, sheet, sheet.version)
        db.session.commit()
        refs.update(round_id=round_.id, entry_ids=[e.id for e in entries], sheet_id=sheet.id,
                    criteria=[c.id for c in round_.leaf_criteria])
    return refs


@dataclass
class Hall:
    round_id: int
    entries: dict  # entry code → application id
    producers: dict  # entry code → producer id
    photos: dict  # entry code → a photo id of its product
    criteria: dict  # criterion code → id
    jurors: list
    group_one_juror: object
    outsider: object
    organiser: object

    def sheet_url(self, code):
        return f"/jury/rounds/{self.round_id}/entries/{self.entries[code]}"

    def points(self, by_code):
        return {f"points-{self.criteria[code]}": value for code, value in by_code.items()}


@pytest.fixture
def make_hall(app, make_user):
    def build(scoring=True):
        return build_hall(app, make_user, scoring)

    return build


@shared_world
def build_hall(app, make_user, scoring=True):
    """Three entries; three jurors of every group, one of group 1 only and one outsider; scoring open
    unless ``scoring`` is false."""
    organiser = make_user("organiser", province_code="19")
    owners = [make_user("producer") for _ in range(3)]
    jurors = [make_user("juror") for _ in range(3)]
    group_one, outsider = make_user("juror"), make_user("juror")
    with app.app_context():
        load = lambda ref: db.session.get(User, ref.id)  # noqa: E731
        round_ = make_round(load(organiser))
        entries = make_entries(load(organiser), [load(o) for o in owners], round_)
        for juror in jurors:
            assign_juror(load(organiser), round_, load(juror))
        assign_juror(load(organiser), round_, load(group_one), ["1"])
        if scoring:
            open_scoring(load(organiser), round_)
        db.session.commit()
        return Hall(round_.id, {a.entry_code: a.id for a in entries},
                    {a.entry_code: a.producer_id for a in entries},
                    {a.entry_code: a.product.photos[0].id for a in entries},
                    {c.code: c.id for c in round_.leaf_criteria}, jurors, group_one, outsider, organiser)


@pytest.fixture
def hall(make_hall):
    return make_hall()

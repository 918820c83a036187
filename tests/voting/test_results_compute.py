"""The arithmetic of results: rounding, the exact pass mark, outlier flags, the second stage, prizes."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from tests.factories import make_deliberating_round
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import Round
from voting.rules.results import SheetResult, compute_results, flag_outliers, second_stage_ids, shown


@pytest.mark.parametrize(("value", "expected"), [
    (Fraction(1, 200), "0.01"),              # exactly half: up
    (Fraction(4999, 1000000), "0.00"),       # just below half: down
    (Decimal("69.995"), "70.00"),
    (Fraction(250, 3), "83.33"),
    (Fraction(500, 6), "83.33"),             # the same value written another way
    (Fraction(-1, 200), "-0.01"),            # half away from zero
    (Decimal(70), "70.00"),
])
def test_shown_rounds_half_up_from_the_exact_value(value, expected):
    assert str(shown(value)) == expected


def _sheets(*totals):
    return [SheetResult(sheet=None, total=Decimal(t), by_criterion={}) for t in totals]


def test_outliers_need_both_the_mad_rule_and_the_minimum_spread():
    agreeing = _sheets(80, 80, 80, 85)          # MAD 0: 5 points is not an outlier with a 10-point floor
    flag_outliers(agreeing, Decimal(3), Decimal(10))
    assert [s.flagged for s in agreeing] == [False] * 4
    flag_outliers(agreeing, Decimal(3), Decimal(0))  # without the floor, any difference from MAD 0 flags
    assert [s.flagged for s in agreeing] == [False, False, False, True]
    spread = _sheets(60, 70, 80, 90, 40)        # median 70, MAD 10: 40 is 30 away, exactly 3 MAD: not flagged
    flag_outliers(spread, Decimal(3), Decimal(10))
    assert not any(s.flagged for s in spread)
    far = _sheets(60, 70, 80, 90, 39)
    flag_outliers(far, Decimal(3), Decimal(10))
    assert [s.flagged for s in far] == [False, False, False, False, True] and far[-1].deviation == Decimal(-31)
    two = _sheets(10, 90)                       # two sheets have no median to speak of
    flag_outliers(two, Decimal(3), Decimal(10))
    assert not any(s.flagged for s in two)


def test_the_pass_mark_is_compared_on_the_exact_mean(app, make_user):
    table = [[[40, 20, 5, 5], [40, 20, 5, 5], [39.99, 20, 5, 5]],   # 69.9966…: shows 70.00 but fails
             [[40, 20, 5, 5]] * 3]                                  # 70 exactly: passes
    hall = make_deliberating_round(app, make_user, table, round_settings={"point_step": Decimal("0.01")})
    with app.app_context():
        results = compute_results(db.session.get(Round, hall.round_id))
        by_code = {e.application.entry_code: e for e in results.entries}
        assert str(by_code["2.001"].shown_score) == "70.00" and not by_code["2.001"].passed
        assert by_code["2.002"].passed and by_code["2.002"].rank == 1


STAGE_ONE = [
    [[30, 30, 8, 8], [32, 30, 8, 8], [31, 30, 8, 8]],   # 2.001: 77
    [[34, 34, 9, 9], [35, 34, 9, 9], [34, 35, 9, 9]],   # 2.002: 86.66…
    [[20, 20, 5, 5], [22, 20, 5, 5], [21, 20, 5, 5]],   # 2.003: 51 — does not go on
]
STAGE_TWO = [
    [[36, 36, 9, 9], [36, 35, 9, 9], [37, 36, 9, 9]],   # 2.001: 90
    [[30, 30, 8, 8], [30, 31, 8, 8], [31, 30, 8, 8]],   # 2.002: 76.66…
    None,
]


def _mean(rows):
    totals = [sum(Decimal(str(p)) for p in row) for row in rows]
    return sum(totals) / len(totals)


def test_second_stage_weighting_and_who_goes_on(app, make_user):
    hall = make_deliberating_round(app, make_user, STAGE_ONE, second_table=STAGE_TWO, round_settings={
        "second_stage": True, "second_stage_weight": Decimal("0.6")})
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        results = compute_results(round_)
        by_code = {e.application.entry_code: e for e in results.entries}
        for index, code in ((0, "2.001"), (1, "2.002")):
            expected = Decimal("0.6") * _mean(STAGE_TWO[index]) + Decimal("0.4") * _mean(STAGE_ONE[index])
            assert by_code[code].shown_score == expected.quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert [e.application.entry_code for e in results.ranked] == ["2.001", "2.002"]  # 84.80 > 80.67
        assert by_code["2.003"].not_advanced and by_code["2.003"].rank is None
        assert shown(by_code["2.003"].stage_one_score) == Decimal("51.00")


def test_top_n_rule_decides_who_goes_on(app, make_user):
    hall = make_deliberating_round(app, make_user, STAGE_ONE, round_settings={
        "second_stage": True, "second_stage_rule": "top_n", "second_stage_top_n": 1},
        second_table=[None, STAGE_TWO[1], None])
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        assert second_stage_ids(round_) == {hall.application_ids[1]}
        assert [e.application.entry_code for e in compute_results(round_).ranked] == ["2.002"]


def test_no_second_stage_sheet_for_an_entry_that_did_not_go_on(app, make_user):
    with pytest.raises(DomainError, match="not_advanced"):
        make_deliberating_round(app, make_user, STAGE_ONE, round_settings={
            "second_stage": True, "second_stage_rule": "top_n", "second_stage_top_n": 1},
            second_table=[STAGE_TWO[0], STAGE_TWO[1], None])


def test_two_stage_round_in_the_excel_files(app, make_user):
    from io import BytesIO

    from openpyxl import load_workbook

    from voting.documents.results_exports import results_xlsx, score_matrix_xlsx

    hall = make_deliberating_round(app, make_user, STAGE_ONE, second_table=STAGE_TWO, round_settings={
        "second_stage": True, "second_stage_weight": Decimal("0.6")})
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        matrix = load_workbook(BytesIO(score_matrix_xlsx(round_))).active
        table = load_workbook(BytesIO(results_xlsx(round_))).active
    rows = [[c.value for c in row] for row in matrix.iter_rows()]
    header = next(i for i, row in enumerate(rows) if "Vòng chấm" in row)
    stage_col = rows[header].index("Vòng chấm")
    stages = [row[stage_col] for row in rows[header + 1:] if row[stage_col] in (1, 2)]
    assert stages.count(1) == 9 and stages.count(2) == 6          # every first-stage sheet, the two that went on
    values = [c.value for row in table.iter_rows() for c in row]
    assert "Không vào vòng hai" in values and 84.8 in values   # 0.6 × 90 + 0.4 × 77

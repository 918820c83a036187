"""The score matrix and the results table as print-ready .xlsx files."""
import contextlib
import datetime
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import event, select, update

from tests.factories import make_deliberating_round
from voting.extensions import db
from voting.models import Application, Producer, Product, Round, User
from voting.operations.deliberation import set_prize_tiers, strike_entry
from voting.rules.results import compute_results
from voting.documents.results_exports import results_xlsx, score_matrix_xlsx

ISSUED = datetime.date(2026, 12, 1)
EVIL = "=cmd|' /C calc'!A0"
# Entry i: one row per juror of points for the four criteria (40, 40, 10, 10); None: no sheet.
TABLE = [
    [[30, 32, 8, 7.5], [31, 30.5, 9, 8], [29, 33, 7, 8], [10, 12, 3, 2]],        # last sheet far off
    [[35, 36, 9, 9], [34, 35.5, 9, 8.5], [36, 35, 8.5, 9], [33, 34, 9, 9]],       # first, struck
    [[25, 26, 6, 6], [24, 25, 7, 6.5], [26, 24.5, 6, 7], [25, 25, 6, 6]],         # fails
    [[30, 30, 8, 8], [31, 31, 8, 8], None, None],                                 # below quorum
    [[32, 33, 8, 8], [33, 32, 8.5, 8], [31, 34, 8, 8.5], [32, 32, 8, 8]],         # passes, prize
]
GROUPS = ("2", "2", "1", "2", "1")
STRIKE_REASON = "Sản phẩm đã được công nhận ở đợt trước"
TWO = Decimal("0.01")


def exact(value):
    return Decimal(str(value))


def mean2(values):
    """Mean rounded half-up to 2 places, computed with Decimal only."""
    values = [exact(v) for v in values]
    return (sum(values) / len(values)).quantize(TWO, rounding=ROUND_HALF_UP)


def cell_decimal(cell):
    return None if cell.value is None else exact(cell.value)


@pytest.fixture
def built(app, make_user):
    world = make_deliberating_round(app, make_user, TABLE, groups=GROUPS)
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        db.session.get(Product, db.session.get(Application, world.application_ids[2]).product_id).name = EVIL
        db.session.get(User, world.jurors[0].id).full_name = EVIL
        secretary = db.session.get(User, world.organiser.id)
        strike_entry(secretary, round_, db.session.get(Application, world.application_ids[1]), STRIKE_REASON)
        set_prize_tiers(secretary, round_, "rank", [("Giải A", 1, None)])
        db.session.commit()
    return world


def workbooks(app, world):
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        codes = [db.session.get(Application, i).entry_code for i in world.application_ids]
        return (openpyxl.load_workbook(BytesIO(score_matrix_xlsx(round_, issued_on=ISSUED))).active,
                openpyxl.load_workbook(BytesIO(results_xlsx(round_, issued_on=ISSUED))).active, codes)


@pytest.fixture
def sheets(app, built):
    return workbooks(app, built)


def header_row_of(ws):
    return next(c.row for c in ws["A"] if c.value in ("STT", "Xếp hạng"))


def table(ws):
    """Header texts and the data rows (as lists of cells), up to the first empty row."""
    row = header_row_of(ws)
    headers = [c.value for c in ws[row]]
    rows = []
    for cells in ws.iter_rows(min_row=row + 1):
        if cells[0].value is None and cells[1].value is None:
            break
        rows.append(cells)
    return headers, rows


# The score matrix ------------------------------------------------------------------------------

def test_matrix_has_one_row_per_submitted_sheet_grouped_by_entry(sheets):
    matrix, _, codes = sheets
    headers, rows = table(matrix)
    assert headers[:5] == ["STT", "Vòng chấm", "Mã số", "Tên sản phẩm", "Giám khảo"]
    assert headers[-2:] == ["Tổng điểm", "Phiếu lệch"]
    assert len(rows) == sum(1 for entry in TABLE for sheet in entry if sheet is not None)
    seen = [r[2].value for r in rows]
    assert seen == sorted(seen, key=lambda code: tuple(int(p) for p in code.split(".")))
    assert {r[1].value for r in rows} == {1}


def test_matrix_points_are_the_submitted_ones_as_numbers(sheets):
    matrix, _, codes = sheets
    headers, rows = table(matrix)
    assert [h.split("\n")[0] for h in headers[5:9]] == ["TC 1", "TC 2", "TC 3", "TC 4"]
    for index, entry in enumerate(TABLE):
        submitted = sorted(tuple(exact(p) for p in sheet) for sheet in entry if sheet is not None)
        written = sorted(tuple(cell_decimal(c) for c in r[5:9]) for r in rows if r[2].value == codes[index])
        assert written == submitted
        totals = sorted(exact(r[9].value) for r in rows if r[2].value == codes[index])
        assert totals == sorted(sum(submitted_row) for submitted_row in submitted)
    assert all(r[5].data_type == "n" for r in rows)


def test_matrix_marks_the_outlier_sheet_only(sheets):
    matrix, _, codes = sheets
    _, rows = table(matrix)
    flagged = [(r[2].value, exact(r[9].value)) for r in rows if r[10].value == "x"]
    assert flagged == [(codes[0], Decimal("27"))]


def test_matrix_juror_name_that_looks_like_a_formula_is_text(sheets):
    matrix, _, _ = sheets
    _, rows = table(matrix)
    cells = [r[4] for r in rows if r[4].value == EVIL] + [r[3] for r in rows if r[3].value == EVIL]
    by_juror = sum(1 for entry in TABLE if entry[0] is not None)
    assert len(cells) == by_juror + 4  # the first juror's sheets, and the four sheets on the product
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_matrix_title_block_names_the_round(sheets):
    matrix, _, _ = sheets
    texts = {matrix.cell(r.min_row, r.min_col).value for r in matrix.merged_cells.ranges}
    assert "BẢNG TỔNG HỢP ĐIỂM CHẤM CỦA BAN GIÁM KHẢO" in texts
    assert any(t and t.startswith("Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên") for t in texts)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts


# The results table -----------------------------------------------------------------------------

def expected_scores():
    totals = [[sum(exact(p) for p in sheet) for sheet in entry if sheet is not None] for entry in TABLE]
    return [mean2(t) for t in totals]


def test_results_columns_are_in_vietnamese(sheets):
    _, results, _ = sheets
    headers, _ = table(results)
    assert headers[:7] == ["Xếp hạng", "Mã số", "Tên sản phẩm", "Tên cơ sở", "Địa chỉ",
                           "Nhóm sản phẩm", "Số phiếu"]
    assert [h.split("\n")[0] for h in headers[7:11]] == ["Bình quân TC 1"] + [f"Bình quân TC {i}" for i in (2, 3, 4)]
    assert headers[11:] == ["Điểm bình quân", "Chênh lệch cao - thấp", "Kết quả", "Không đề nghị (lý do)", "Giải"]
    # The address to the commune (the producer's public address), not the province alone.
    _, rows = table(results)
    assert all(row[4].value.startswith("Xã ") and row[4].value.endswith(", Thái Nguyên") for row in rows), [
        r[4].value for r in rows]


def test_results_means_and_final_scores_are_half_up_two_places(sheets):
    _, results, codes = sheets
    _, rows = table(results)
    by_code = {r[1].value: r for r in rows}
    for index, entry in enumerate(TABLE):
        row = by_code[codes[index]]
        sheets_ = [s for s in entry if s is not None]
        if len(sheets_) < 3:
            continue
        assert cell_decimal(row[11]) == expected_scores()[index]
        assert [cell_decimal(c) for c in row[7:11]] == [mean2(s[k] for s in sheets_) for k in range(4)]
        totals = [sum(exact(p) for p in s) for s in sheets_]
        assert cell_decimal(row[12]) == max(totals) - min(totals)
        assert row[6].value == len(sheets_)
        assert all(c.number_format == "0.00" and c.data_type == "n" for c in row[7:13])


def test_results_rank_order_pass_strike_and_prize(sheets):
    _, results, codes = sheets
    _, rows = table(results)
    scores = expected_scores()
    ranked = sorted((i for i in range(len(TABLE)) if i != 3), key=lambda i: -scores[i])
    assert [r[1].value for r in rows[:4]] == [codes[i] for i in ranked]
    assert [r[0].value for r in rows[:4]] == [1, 2, 3, 4]
    by_code = {r[1].value: r for r in rows}
    assert [by_code[codes[i]][13].value for i in range(5)] == [
        "Không đạt", "Đạt", "Không đạt", "Chưa đủ phiếu", "Đạt"]
    assert by_code[codes[1]][14].value == STRIKE_REASON
    assert by_code[codes[4]][15].value == "Giải A" and by_code[codes[1]][15].value is None


def test_results_below_quorum_entry_has_no_rank_and_is_marked_last(sheets):
    _, results, codes = sheets
    _, rows = table(results)
    last = rows[-1]
    assert last[1].value == codes[3]
    assert last[0].value is None and last[11].value is None
    assert last[13].value == "Chưa đủ phiếu"
    assert last[6].value == 2


def test_results_producer_province_group(sheets):
    _, results, codes = sheets
    _, rows = table(results)
    row = next(r for r in rows if r[1].value == codes[2])
    assert row[2].value == EVIL and row[2].data_type == "s" and row[2].quotePrefix
    assert row[3].value == "Cơ sở thử 2"
    assert row[4].value.startswith("Xã ") and row[4].value.endswith(", Thái Nguyên")  # to the commune
    assert row[5].value.startswith("Nhóm sản phẩm thủ công")


# Print setup -----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", [0, 1])
def test_print_setup(sheets, which):
    ws = sheets[which]
    row = header_row_of(ws)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == f"${row}:${row}"
    assert ws.auto_filter.ref.startswith(f"A{row}:")
    assert ws.freeze_panes.endswith(str(row + 1))
    assert ws.cell(row, 1).font.b and ws.cell(row, 1).alignment.wrap_text


def test_no_formula_anywhere(app, built):
    import zipfile

    with app.app_context():
        round_ = db.session.get(Round, built.round_id)
        for data in (score_matrix_xlsx(round_, issued_on=ISSUED), results_xlsx(round_, issued_on=ISSUED)):
            xml = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
            assert "<f>" not in xml and "<f " not in xml


def test_same_round_gives_same_bytes(app, built):
    with app.app_context():
        round_ = db.session.get(Round, built.round_id)
        assert results_xlsx(round_, issued_on=ISSUED) == results_xlsx(round_, issued_on=ISSUED)


# Bounded queries -------------------------------------------------------------------------------

@contextlib.contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def generated_table(entries, jurors=4):
    return [[[20 + (i + j) % 15, 22 + (i * j) % 13, 5 + j % 4, 6 + i % 4] for j in range(jurors)]
            for i in range(entries)]


def queries_for(app, round_id):
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        with counted_queries() as statements:
            results = compute_results(round_)
            score_matrix_xlsx(round_, results, issued_on=ISSUED)
            results_xlsx(round_, results, issued_on=ISSUED)
        assert len(results.entries) >= 6
        return statements


def test_queries_do_not_grow_with_the_number_of_entries(app, make_user):
    small = make_deliberating_round(app, make_user, generated_table(6), groups=("1", "2", "3") * 2)
    with app.app_context():
        # make_entries numbers producers from 0 in every round: free the numbers for the second one.
        db.session.execute(update(Producer).values(registration_number=Producer.registration_number + "a"))
        db.session.commit()
    large = make_deliberating_round(app, make_user, generated_table(24), groups=("1", "2", "3", "4") * 6)
    few, many = queries_for(app, small.round_id), queries_for(app, large.round_id)
    assert len(many) <= len(few) + 2, "\n".join(many)
    with app.app_context():
        assert len(db.session.scalars(select(Application).where(Application.round_id == large.round_id)).all()) == 24

"""The .xlsx exports as LibreOffice prints them: no wrapped line runs over the row below (issue 16, item 19).

The danh sách trích ngang, the nominations' list, the results table and the score matrix are built
with long Vietnamese text, then all converted to PDF by ONE headless LibreOffice run (its start-up
is most of the cost: one run per file would pay it four times), and ``pdftotext -bbox`` lists
every word with its box. Two words *overprint* when they are on the same page, overlap
horizontally (by more than 0.5 pt), and belong to different lines (their tops differ by more
than 0.5 pt) set closer than any two lines of one paragraph: their tops less than 70 % of the
word height apart (LibreOffice sets a paragraph's lines about 85 % of that height apart, so lines
of one cell never count; a row too short for its text prints its last lines over the next row's).

Needs LibreOffice Calc (Debian: ``libreoffice-calc-nogui``, without recommends), Liberation fonts
(``fonts-liberation``; Times New Roman's metrics) and ``pdftotext`` (``poppler-utils``); ``.ci/run``
installs them. Without them the test is skipped and the run says so in a counted line
(tests/conftest.py); under ``CI`` it fails instead.
"""
import datetime
import re
import subprocess
import time
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

from openpyxl import load_workbook

from tests.factories import make_deliberating_round
from tests.support.office import convert_to_pdf, require_tools
from voting.documents.exports import SummaryHeader, SummaryRow, build_summary_workbook
from voting.extensions import db
from voting.models import Application, Round, User
from voting.documents.nomination_exports import nomination_workbook
from voting.operations.deliberation import set_prize_tiers, strike_entry
from voting.operations.nominations import NominationRow
from voting.documents.results_exports import results_xlsx, score_matrix_xlsx
from voting.documents.sheet_layout import wrapped_lines

ISSUED = datetime.date(2026, 12, 1)
PRODUCTS = [
    "Miến dong Việt Cường chế biến thủ công theo phương pháp truyền thống của đồng bào Tày, Nùng",
    "Chè",
    "Trà hoa vàng Ba Chẽ sấy lạnh đóng hộp quà tặng cao cấp (loại đặc biệt, 500 g)",
    "Mật ong bạc hà cao nguyên đá Đồng Văn",
    "Gốm Bát Tràng men lam vẽ tay họa tiết rồng phượng, bộ ấm chén mười hai món",
    "Nước mắm Phú Quốc 40 độ đạm",
]
PRODUCERS = [
    "Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Miến dong Việt Cường",
    "Công ty TNHH Một thành viên Chè Tân Cương Hoàng Bình",
    "Hộ kinh doanh Nguyễn Thị Hường",
    "Tổ hợp tác Mật ong Bạc hà Lũng Cú – Đồng Văn – Mèo Vạc",
]
ADDRESSES = [
    "Thôn Nà Cà, xã Việt Cường, tỉnh Thái Nguyên",
    "Số 12, ngõ 45, đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên\n(gần chợ Đồng Quang)",
    "Xóm Đồng Kem 3, xã Tân Cương",
]
GROUP = "Chế biến nông, lâm, thủy sản và dược liệu"
STRIKE_REASON = ("Sản phẩm đã được công nhận ở đợt trước; cơ sở chưa có giấy phép sản xuất rượu để kinh doanh "
                 "theo Nghị định 105/2017/NĐ-CP, đề nghị bổ sung trước đợt sau.")
TABLE = [[[30, 32, 8, 7.5], [31, 30.5, 9, 8], [29, 33, 7, 8]],
         [[35, 36, 9, 9], [34, 35.5, 9, 8.5], [36, 35, 8.5, 9]],
         [[25, 26, 6, 6], [24, 25, 7, 6.5], [26, 24.5, 6, 7]],
         [[32, 33, 8, 8], [33, 32, 8.5, 8], [31, 34, 8, 8.5]],
         [[30, 30, 8, 8], [31, 31, 8, 8], [32, 29, 8, 9]],
         [[28, 30, 7, 8], [29, 29, 8, 8], [30, 28, 8, 7]]]
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
TOLERANCE = 0.5   # pt
PARAGRAPH_PITCH = 0.7  # of a word's height: lines of one paragraph are further apart than this


def _header(title):
    return SummaryHeader(parent_authority="ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", authority="SỞ CÔNG THƯƠNG",
                         title=title, subtitle="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026",
                         place="Thái Nguyên", issued_on=ISSUED)


def summary_xlsx():
    rows = [SummaryRow(f"2.{i:03d}", PRODUCTS[i % 6], GROUP, PRODUCERS[i % 4], "Hợp tác xã", ADDRESSES[i % 3],
                       "0912 345 678", datetime.date(2026, 9, 1 + i % 28), Decimal("83.25") + i)
            for i in range(40)]
    return build_summary_workbook(_header("DANH SÁCH TRÍCH NGANG SẢN PHẨM ĐĂNG KÝ BÌNH CHỌN"), rows)


def nominations_xlsx(app):
    round_ = SimpleNamespace(
        title="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực miền núi phía Bắc", year=2026,
        authority=SimpleNamespace(parent_name="Bộ Công Thương", name="Cục Đổi mới sáng tạo, Chuyển đổi xanh và "
                                  "Khuyến công", place_name="Hà Nội"))
    rows = [NominationRow(i, i, PRODUCTS[i % 6], "2", GROUP, PRODUCERS[i % 4],
                          ["Thái Nguyên", "Tuyên Quang", "Lào Cai"][i % 3], f"{2871 + i}/QĐ-UBND",
                          datetime.date(2026, 10, 25), f"TN-2026-{i:05d}", datetime.date(2029, 10, 25),
                          "submitted", False) for i in range(30)]
    with app.test_request_context("/"):
        return nomination_workbook(round_, rows, ISSUED)


def results_and_matrix(app, make_user):
    world = make_deliberating_round(app, make_user, TABLE)
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        for index, application_id in enumerate(world.application_ids):
            application = db.session.get(Application, application_id)
            application.product.name = PRODUCTS[index]
            application.producer.name = PRODUCERS[index % 4]
        for index, juror in enumerate(world.jurors):
            db.session.get(User, juror.id).full_name = ["PGS.TS. Nguyễn Thị Phương Thảo", "Trần Văn Minh",
                                                        "ThS. Lê Hoàng Bảo Ngọc Trâm Anh"][index]
        secretary = db.session.get(User, world.organiser.id)
        strike_entry(secretary, round_, db.session.get(Application, world.application_ids[1]), STRIKE_REASON)
        set_prize_tiers(secretary, round_, "rank", [("Giải khuyến khích của Ủy ban nhân dân tỉnh", 2, None)])
        db.session.commit()
        return results_xlsx(round_, issued_on=ISSUED), score_matrix_xlsx(round_, issued_on=ISSUED)


def overprinting(pdf_path):
    """``(page, word, word, gap)`` for every two words that overprint (see the module's docstring)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                           check=True, timeout=60).stdout
    found = []
    for page, body in enumerate(boxes.split("<page ")[1:], start=1):
        words = sorted(((float(x0), float(y0), float(x1), float(y1), text)
                        for x0, y0, x1, y1, text in WORD.findall(body)), key=lambda w: w[1])
        for index, first in enumerate(words):
            for second in words[index + 1:]:
                if second[1] >= first[3]:
                    break  # sorted by top: no later word reaches up into this one
                gap = second[1] - first[1]
                height = min(first[3] - first[1], second[3] - second[1])
                if TOLERANCE < gap < PARAGRAPH_PITCH * height and \
                        min(first[2], second[2]) - max(first[0], second[0]) > TOLERANCE:
                    found.append((page, first[4], second[4], round(gap, 2)))
    return found


def test_every_export_prints_without_a_line_over_the_next_row(app, make_user, tmp_path):
    require_tools("soffice", "pdftotext")
    files = {"trich-ngang.xlsx": summary_xlsx(), "de-cu.xlsx": nominations_xlsx(app)}
    files["ket-qua.xlsx"], files["bang-diem.xlsx"] = results_and_matrix(app, make_user)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    started = time.monotonic()
    convert_to_pdf(tmp_path, files)  # one LibreOffice for all four files
    print(f"LibreOffice converted {len(files)} workbooks in {time.monotonic() - started:.1f} s")
    problems = {}
    for name in files:
        pdf = tmp_path / name.replace(".xlsx", ".pdf")
        assert pdf.is_file(), f"LibreOffice made no PDF of {name}"
        found = overprinting(pdf)
        if found:
            problems[name] = (len(found), found[:3])
    assert not problems, problems
    # The long texts did wrap: the checks above looked at rows of several lines.
    ws = load_workbook(tmp_path / "trich-ngang.xlsx").active
    assert max(ws.row_dimensions[r].height or 0 for r in range(9, 49)) > 3 * 11 * 1.15


def test_rows_are_as_tall_as_their_longest_wrapped_cell():
    """Without LibreOffice too: heights follow the wrapped text, explicit newlines included."""
    short = SummaryRow("2.001", "Chè", "Chè", "HTX Chè", "Hợp tác xã", "Tân Cương", "0912345678", None)
    long = SummaryRow("2.002", PRODUCTS[0], GROUP, PRODUCERS[0], "Hợp tác xã", ADDRESSES[1], "0912345678", None)
    ws = load_workbook(BytesIO(build_summary_workbook(_header("DANH SÁCH"), [short, long]))).active
    one, several = ws.row_dimensions[9].height, ws.row_dimensions[10].height
    assert one is not None and one < 2 * 11 * 1.15  # one line
    assert several is not None and several > 3 * 11 * 1.15  # the product and the address: three lines each
    assert wrapped_lines("a\nb\n\nc", 100) == 4
    assert wrapped_lines("Miến dong Việt Cường", 1000) == 1
    assert wrapped_lines("Miến dong Việt Cường", 40) >= 3

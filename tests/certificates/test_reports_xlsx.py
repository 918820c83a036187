"""The summary report as a print-ready Excel file (issue 21): the page's tables, cell for cell, for the
reader's own area (the path upward, the producers with several products and the producers by type and commune
kind too); the page's filters and their refusals; and, through LibreOffice, A4 landscape pages
whose headings and figures read back, counts grouped the Vietnamese way ("12.345").

The small world of ``tests.support.registry`` (seven provincial paper certificates of 2024; see
tests/certificates/test_reports.py), and for the rounds' results the decided round of
``tests.support.certificates.certify`` (see tests/certificates/test_reports_results.py). The print check needs LibreOffice and ``pdftotext`` and is skipped
without them, failed under ``CI`` (tests/support/office.py).
"""
import datetime
import html
import re
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select, update

from certificates.reports.distribution import NOT_KNOWN, Distribution, Part
from certificates.reports.entries import Results, Tally
from certificates.reports.figures import Figures
from certificates.reports.producers import Holder, Holders
from certificates.reports.upward import PathUpward, Step
from certificates.reports.workbook import HEADER_ROW, report_workbook
from tests.conftest import login
from tests.helpers import text_of
from tests.support.certificates import certify
from tests.support.office import convert_to_pdf, pages_of, require_tools
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Province, Role

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd][^>]*>([^<]*)</t[hd]>")
_COUNT = re.compile(r"^\d{1,3}(\.\d{3})*$")
TABLES = {"standing-table": "Tình trạng", "years-table": "Giấy chứng nhận theo năm và cấp",
          "provinces-table": "Theo tỉnh, thành phố", "groups-table": "Theo nhóm sản phẩm"}
RESULTS = {"results-years-table": "Kết quả theo năm và cấp", "results-groups-table": "Kết quả theo nhóm sản phẩm",
           "results-provinces-table": "Kết quả theo tỉnh của cơ sở",
           "results-types-table": "Kết quả theo loại hình cơ sở"}
NO_RESULTS = "Chưa có đợt bình chọn nào đã có quyết định công nhận phù hợp."
UPWARD = ["Đề cử theo năm và cấp", "Đề cử theo tỉnh, thành phố"]
NO_UPWARD = "Chưa có sản phẩm nào được đề cử lên đợt bình chọn cấp trên."
HOLDERS = "Cơ sở có nhiều sản phẩm"
NO_HOLDERS = "Không có cơ sở nào có từ hai sản phẩm được công nhận trở lên."
DISTRIBUTION = {"distribution-types-table": "Cơ sở theo loại hình",
                "distribution-kinds-table": "Cơ sở theo loại đơn vị cấp xã"}


def _value(text):
    """A cell as the page shows it: "1.234" is 1234, anything else its text."""
    text = html.unescape(text).strip()
    return int(text.replace(".", "")) if _COUNT.match(text) else text


def page_table(body, table_id):
    """Every row of one table of the page (its header and totals too), each a list of cells."""
    part = body.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [[_value(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(part)]


def sheet_table(ws):
    """Every row of a sheet's table, from its header down, its counts as numbers."""
    return [[_value(v) if isinstance(v, str) else v for v in row if v is not None]
            for row in ws.iter_rows(min_row=HEADER_ROW, values_only=True) if any(v is not None for v in row)]


def _signed_in(client, user):
    assert login(client, user.email, user.password).status_code == 302
    return client


def _download(client, **args):
    response = client.get("/reports/report.xlsx", query_string=args)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response, load_workbook(BytesIO(response.data))


def test_the_workbook_holds_the_pages_tables_cell_for_cell(registry, client, make_user):
    client = _signed_in(client, make_user(Role.ADMIN))
    body = text_of(client.get("/reports/"))
    response, wb = _download(client)
    # The fixture's certificates are all of 2024, before the merger: the former provinces' sheet follows the groups'.
    assert wb.sheetnames == [*TABLES.values(), "Theo tỉnh cũ", "Sắp hết hiệu lực", *RESULTS.values(), *UPWARD,
                             HOLDERS, *DISTRIBUTION.values()]
    former = sheet_table(wb["Theo tỉnh cũ"])
    assert former[0] == ["Đơn vị hiện nay", "Tỉnh cũ", "Số lượng"]
    assert ["Thái Nguyên", "Bắc Kạn", 1] in former and ["Thái Nguyên", "Tổng", 2] in former
    assert ["Tuyên Quang", "Hà Giang", 1] in former
    for (table_id, _name), ws in zip(TABLES.items(), wb.worksheets[:4], strict=True):
        rows = sheet_table(ws)
        # The provinces' table has no totals row; the standing's first sheet ends with a note.
        assert rows[:len(page_table(body, table_id))] == page_table(body, table_id), table_id
    standing = sheet_table(wb.worksheets[0])
    assert standing[-2] == ["Tổng cộng", 7] and standing[1] == ["Còn hiệu lực", 6]
    assert sheet_table(wb.worksheets[1]) == [["Năm", "Cấp tỉnh", "Tổng"], ["2024", 7, 7], ["Tổng cộng", 7, 7]]
    # No round decided here: the results' sheets say so as the page does, under its heading.
    assert NO_RESULTS in body
    for name in RESULTS.values():
        assert sheet_table(wb[name]) == [[NO_RESULTS]]
        assert wb[name]["A3"].value == "Kết quả các đợt bình chọn trên nền tảng"
    # Nothing nominated upward, no producer with two products: the page's sentences, under its headings.
    for name in UPWARD:
        assert sheet_table(wb[name]) == [[NO_UPWARD]] and wb[name]["A3"].value == "Đề cử lên cấp trên"
    assert sheet_table(wb[HOLDERS]) == [[NO_HOLDERS]] and NO_HOLDERS in body
    # The producers by type and commune kind: the seven known from paper only, not known in both; shares are
    # percentage cells (70,00 % is 0.7).
    for table_id, name in DISTRIBUTION.items():
        ws = wb[name]
        assert ws["A3"].value == "Cơ sở có sản phẩm được công nhận"
        assert sheet_table(ws)[:len(page_results(body, table_id))] == page_results(body, table_id), table_id
        assert [r for r in sheet_table(ws) if r[0] in ("Không rõ", "Tổng cộng")] == [["Không rõ", 7, 1.0],
                                                                                    ["Tổng cộng", 7, 1]]
        assert ws.cell(HEADER_ROW + 1, 3).number_format == "[$-42A]0.00 %"
    assert wb[DISTRIBUTION["distribution-types-table"]]["A4"].value == "Theo loại hình cơ sở"
    assert sheet_table(wb[DISTRIBUTION["distribution-kinds-table"]])[0] == ["Xã, phường, đặc khu", "Số cơ sở", "Tỷ lệ"]
    # Each sheet says what it covers and is titled as the page is.
    for ws in wb.worksheets:
        assert ws["A1"].value == "Báo cáo tổng hợp"
        assert ws["A2"].value == f"Phạm vi: Cả nước. Số liệu đến ngày {today_vn():%d/%m/%Y}."
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.page_setup.fitToWidth == 1
    assert wb.worksheets[1]["B6"].number_format == "[$-42A]#,##0"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=bao-cao-tong-hop-ca-nuoc-\d{4}-\d{2}-\d{2}\.xlsx", disposition)
    assert response.headers["Cache-Control"] == "private, no-store"


_SHOWN_SHARE = re.compile(r"^(\d+),(\d\d) %$")
_SHOWN_SCORE = re.compile(r"^(\d+),(\d\d)$")


def page_results(body, table_id):
    """A results table of the page, its figures as numbers: "75,00 %" is 0.75 (a percentage), "82,00" 82.0,
    "—" stays."""
    def number(text):
        if (share := _SHOWN_SHARE.match(text)) is not None:
            return float(Decimal(f"{share[1]}.{share[2]}") / 100)
        if (score := _SHOWN_SCORE.match(text)) is not None:
            return float(f"{score[1]}.{score[2]}")
        return text
    return [[number(cell) if isinstance(cell, str) else cell for cell in row] for row in page_table(body, table_id)]


def test_the_rounds_results_are_the_pages_cell_for_cell(app, client, make_user):
    certify(app, make_user, entries=3, failing=1)  # 4 entries, 3 passed and certified, 82.00 each
    client = _signed_in(client, make_user(Role.ADMIN))
    body = text_of(client.get("/reports/"))
    _response, wb = _download(client)
    year = today_vn().year
    for table_id, name in RESULTS.items():
        ws = wb[name]
        assert ws["A3"].value == "Kết quả các đợt bình chọn trên nền tảng", name
        assert sheet_table(ws)[:len(page_results(body, table_id))] == page_results(body, table_id), table_id
    years = wb["Kết quả theo năm và cấp"]
    assert sheet_table(years)[:2] == [
        ["Năm, cấp", "Dự thi", "Đạt điểm", "Được công nhận", "Tỷ lệ công nhận", "Điểm bình quân"],
        [f"{year} · Cấp tỉnh", 4, 3, 3, 0.75, 82.0]]
    assert years["A4"].value == "Theo năm và cấp" and years["A8"].value.startswith("Các đợt đã có quyết định")
    # Numbers, shown as the page shows them (LibreOffice: "75,00 %", "82,00"; see the print check).
    assert [(c.data_type, c.number_format) for c in years[6][1:]] == [
        ("n", "[$-42A]#,##0")] * 3 + [("n", "[$-42A]0.00 %"), ("n", "[$-42A]0.00")]
    assert sheet_table(wb["Kết quả theo nhóm sản phẩm"])[1][1:] == [4, 3, 3, 0.75, 82.0]
    # One group's share of a round has its passing count too (the vote tallied it per group), as on the page.
    body = text_of(client.get("/reports/", query_string={"group": "2"}))
    _response, wb = _download(client, group="2")
    narrowed = sheet_table(wb["Kết quả theo năm và cấp"])
    assert narrowed[1] == [f"{year} · Cấp tỉnh", 4, 3, 3, 0.75, 82.0]
    assert narrowed[:2] == page_results(body, "results-years-table")
    # No decided round matches: the page's sentence.
    assert NO_RESULTS in text_of(client.get("/reports/", query_string={"year_to": year - 1}))
    _response, wb = _download(client, year_to=year - 1)
    assert all(sheet_table(wb[name]) == [[NO_RESULTS]] for name in RESULTS.values())


def test_a_provinces_organiser_gets_its_own_province_only(registry, client, make_user):
    client = _signed_in(client, make_user(Role.ORGANISER, province_code="19"))  # Thái Nguyên (and Bắc Kạn)
    response, wb = _download(client)
    assert sheet_table(wb["Theo tỉnh, thành phố"]) == [["Tỉnh, thành phố", "Số lượng"], ["Thái Nguyên", 2]]
    standing = dict(row for row in sheet_table(wb["Tình trạng"]) if len(row) == 2)
    assert standing["Còn hiệu lực"] == 1 and standing["Đã hết hiệu lực"] == 1 and standing["Tổng cộng"] == 2
    assert wb.worksheets[0]["A2"].value.startswith("Phạm vi: Thái Nguyên. ")
    everything = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "Đắk Lắk" not in everything and "Tuyên Quang" not in everything
    assert "filename=bao-cao-tong-hop-thai-nguyen-" in response.headers["Content-Disposition"]
    # Another province is refused as on the page: 400, the page's words, no file.
    refused = client.get("/reports/report.xlsx", query_string={"province": "66"})
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "Không có lựa chọn này trong danh sách." in text_of(refused)


def test_the_pages_link_carries_its_filters_and_the_file_follows_them(registry, client, make_user):
    client = _signed_in(client, make_user(Role.ADMIN))
    body = text_of(client.get("/reports/", query_string={"group": "2", "year_from": "2024", "junk": "x"}))
    link = re.search(r'id="report-xlsx" href="([^"]+)"', body).group(1)
    assert link.startswith("/reports/report.xlsx?") and "group=2" in link and "year_from=2024" in link
    assert "junk" not in link and ">Tải về Excel</a>" in body
    _response, wb = _download(client, group="2", year_from="2024")
    assert sheet_table(wb["Theo tỉnh, thành phố"]) == [["Tỉnh, thành phố", "Số lượng"], ["Tuyên Quang", 1]]
    assert "Lọc: Từ năm: 2024; Nhóm sản phẩm: 2. " in wb.worksheets[0]["A2"].value
    # Nothing matches: the standing in zeros, the other sheets say so in the page's words.
    _response, wb = _download(client, year_from="2025")
    assert sheet_table(wb["Tình trạng"])[-2] == ["Tổng cộng", 0]
    assert sheet_table(wb["Theo nhóm sản phẩm"]) == [["Không có giấy chứng nhận nào phù hợp."]]


def test_wrong_filters_get_the_page_and_its_words_not_a_file(registry, client, make_user):
    client = _signed_in(client, make_user(Role.ADMIN))
    refused = client.get("/reports/report.xlsx", query_string={"year_from": "2024", "year_to": "2019"})
    assert refused.status_code == 400
    body = text_of(refused)
    assert "Năm cuối phải từ năm đầu trở đi." in body and 'value="2019"' in body
    assert 'id="report-xlsx"' not in body and 'id="standing-table"' not in body


def _rename_province(app, code, name):
    """Rename a province; return its name before (the reference tables outlive a test)."""
    with app.app_context():
        before = db.session.scalar(select(Province.name).where(Province.code == code))
        db.session.execute(update(Province).where(Province.code == code).values(name=name))
        db.session.commit()
    return before


def test_a_name_that_looks_like_a_formula_stays_text(registry, app, client, make_user):
    before = _rename_province(app, "19", '=HYPERLINK("x")')
    try:
        client = _signed_in(client, make_user(Role.ADMIN))
        _response, wb = _download(client)
    finally:
        _rename_province(app, "19", before)
    cell = next(c for row in wb["Theo tỉnh, thành phố"].iter_rows() for c in row if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s" and cell.quotePrefix


def lines_of(page):
    """The page's lines of text, each its words left to right (a word belongs to the line it starts on)."""
    lines = {}
    for word in page.words:
        top = next((t for t in lines if abs(t - word.y0) < 2), word.y0)
        lines.setdefault(top, []).append(word)
    return [" ".join(w.text for w in sorted(words, key=lambda w: w.x0)) for _top, words in sorted(lines.items())]


def _large():
    """Figures beyond a thousand, to see the grouping LibreOffice prints."""
    return Figures(by_year_level={(2023, "tinh"): 12345, (2024, "tinh"): 2000, (2024, "quoc_gia"): 7},
                   by_province=[("19", "Thái Nguyên", 14352)], by_group=[("1", "Thực phẩm", 14352)],
                   standing={"valid": 14000, "expiring": 300, "expired": 52, "suspended": 0, "revoked": 0})


def _large_results():
    """Results beyond a thousand, a share that is not whole, and a level with nothing certified."""
    big = Tally((2023, "tinh"), "", 12345, 9000, Decimal("81.25"), 10000)
    return Results(by_year_level=[big, Tally((2024, "quoc_gia"), "", 7, 0, None, None)],
                   by_group=[Tally("1", "Thực phẩm", 12352, 9000, Decimal("81.25"), 10000)],
                   by_province=[Tally("19", "Thái Nguyên", 12352, 9000, Decimal("81.25"))],
                   by_producer_type=[Tally("htx", "Hợp tác xã", 12352, 9000, Decimal("81.25"))])


def _large_more():
    """The path upward (one passing count not known), the producers with several products (one known from paper
    only) and the producers by type and commune kind, beyond a thousand."""
    upward = PathUpward(by_year_level=[Step((2026, "khu_vuc"), "", 1234, 1000, 900, passed=950)],
                        by_province=[Step("19", "Thái Nguyên", 1234, 1000, 900)])  # its passing count not known
    holders = Holders(1500, [Holder("HTX Miến dong Na Rì", "Thái Nguyên", 12, False),
                             Holder("Công ty Chè Xanh", "Thái Nguyên", 3, True)])
    spread = Distribution(by_type=[Part("htx", "Hợp tác xã", 12345, Decimal("66.67")),
                                   Part(NOT_KNOWN, "", 6172, Decimal("33.33"))],
                          by_commune_kind=[Part("xã", "", 18517, Decimal("100.00"))])
    return {"upward": upward, "holders": holders, "distribution": spread}


def test_the_sheets_of_the_path_upward_and_the_producers(app):
    """Names are text (the province beside a producer too), counts numbers, shares percentage cells."""
    with app.test_request_context("/"):
        wb = load_workbook(BytesIO(report_workbook(_large(), "Cả nước", "", datetime.date(2026, 12, 6),
                                                   outcome=_large_results(), **_large_more())))
    assert sheet_table(wb[UPWARD[0]])[:2] == [
        ["Năm, cấp", "Được đề cử", "Được chấp nhận dự thi", "Đạt điểm", "Được công nhận"],
        ["2026 · Cấp khu vực", 1234, 1000, 950, 900]]
    assert wb[UPWARD[0]]["A4"].value == "Theo năm và cấp của đợt cấp trên"
    assert wb[UPWARD[0]]["A8"].value.startswith("Sản phẩm được các tỉnh, thành phố đề cử")
    assert "“Đạt điểm”: sản phẩm của cơ sở thuộc tỉnh, thành phố đạt điểm sàn" in wb[UPWARD[0]]["A8"].value
    assert wb[UPWARD[0]].cell(HEADER_ROW + 1, 4).number_format == "[$-42A]#,##0"
    assert sheet_table(wb[UPWARD[1]])[1] == ["Thái Nguyên", 1234, 1000, "—", 900]
    holders = wb[HOLDERS]
    assert sheet_table(holders)[:3] == [["Cơ sở", "Tỉnh, thành phố", "Sản phẩm được công nhận"],
                                        ["HTX Miến dong Na Rì (bản giấy)", "Thái Nguyên", 12],
                                        ["Công ty Chè Xanh", "Thái Nguyên", 3]]
    assert holders["B6"].data_type == "s" and holders["C6"].number_format == "[$-42A]#,##0"
    assert holders["A4"].value.startswith("1.500 cơ sở có từ hai sản phẩm")
    types = wb[DISTRIBUTION["distribution-types-table"]]
    assert sheet_table(types)[:4] == [["Loại hình", "Số cơ sở", "Tỷ lệ"], ["Hợp tác xã", 12345, 0.6667],
                                      ["Không rõ", 6172, 0.3333], ["Tổng cộng", 18517, 1]]
    assert [types.cell(HEADER_ROW + 1, col).number_format for col in (2, 3)] == ["[$-42A]#,##0", "[$-42A]0.00 %"]
    for ws in wb.worksheets[8:]:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.page_setup.fitToWidth == 1


def test_it_prints_on_a4_landscape_pages_that_read_back(registry, app, client, make_user, tmp_path):
    require_tools("soffice", "pdftotext")
    client = _signed_in(client, make_user(Role.ADMIN))
    (tmp_path / "report.xlsx").write_bytes(client.get("/reports/report.xlsx").data)
    with app.test_request_context("/"):
        large = report_workbook(_large(), "Cả nước", "Cấp: Cấp tỉnh", datetime.date(2026, 12, 6),
                                outcome=_large_results(), **_large_more())
    (tmp_path / "large.xlsx").write_bytes(large)
    convert_to_pdf(tmp_path, ["report.xlsx", "large.xlsx"])  # one LibreOffice for both
    # The report has certificates from before the merger, and products losing their validity within two years.
    for name, sheets in (("report", 15), ("large", 13)):
        pages = pages_of(tmp_path / f"{name}.pdf")
        assert len(pages) == sheets, (name, len(pages))  # a sheet a page
        assert all(abs(p.width - 841.9) < 2 and abs(p.height - 595.3) < 2 for p in pages), name
    text = [lines_of(page) for page in pages_of(tmp_path / "report.pdf")]
    assert "Tình trạng giấy chứng nhận hôm nay" in text[0] and "Tổng cộng 7" in text[0]
    assert "Giấy chứng nhận theo năm và cấp" in text[1] and "Tổng cộng 7 7" in text[1]
    assert "Theo tỉnh, thành phố" in text[2] and "Thái Nguyên 2" in text[2]
    assert "Theo nhóm sản phẩm" in text[3] and all("Báo cáo tổng hợp" in page for page in text)
    assert "Theo tỉnh cũ, trước khi sắp xếp đơn vị hành chính năm 2025" in text[4]
    assert "Thái Nguyên Bắc Kạn 1" in text[4] and "Thái Nguyên Tổng 2" in text[4]
    reentry = " ".join(text[5])
    assert "Sản phẩm sẽ hết hiệu lực trước hạn đăng ký đợt tới" in reentry and "Có giá trị đến" in reentry
    text = text[:4] + text[6:]
    assert all("Kết quả các đợt bình chọn trên nền tảng" in page and NO_RESULTS in page for page in text[4:8])
    assert all("Đề cử lên cấp trên" in page and NO_UPWARD in page for page in text[8:10])
    assert "Cơ sở có nhiều sản phẩm được công nhận" in text[10] and NO_HOLDERS in text[10]
    assert "Theo loại hình cơ sở" in text[11] and "Không rõ 7 100,00 %" in text[11] and "Tổng cộng 7 100,00 %" in text[11]
    assert "Theo loại đơn vị hành chính cấp xã" in text[12] and "Phường 0 0,00 %" in text[12]
    assert "Tổng cộng 7 100,00 %" in text[12]
    large = [lines_of(page) for page in pages_of(tmp_path / "large.pdf")]
    assert "Tổng cộng 14.352" in large[0] and "Còn hiệu lực 14.000" in large[0]
    assert "2023 12.345 0 12.345" in large[1] and "Tổng cộng 14.345 7 14.352" in large[1]
    assert "Phạm vi: Cả nước. Lọc: Cấp: Cấp tỉnh. Số liệu đến ngày 06/12/2026." in " ".join(large[0])
    assert "Kết quả các đợt bình chọn trên nền tảng" in large[4] and "Theo năm và cấp" in large[4]
    assert "2023 · Cấp tỉnh 12.345 10.000 9.000 72,90 % 81,25" in large[4]
    assert "2024 · Cấp quốc gia 7 — 0 0,00 % —" in large[4]
    assert "1. Thực phẩm 12.352 10.000 9.000 72,90 % 81,25" in large[5]  # 72.86: one decimal, as the page
    assert "Theo năm và cấp của đợt cấp trên" in large[8] and "2026 · Cấp khu vực 1.234 1.000 950 900" in large[8]
    assert "Theo tỉnh, thành phố đề cử" in large[9] and "Thái Nguyên 1.234 1.000 — 900" in large[9]
    assert "1.500 cơ sở có từ hai sản phẩm được công nhận trở lên. Danh sách dưới đây gồm 2 cơ sở có nhiều sản phẩm" \
        " nhất." in " ".join(large[10])
    assert "HTX Miến dong Na Rì (bản giấy) Thái Nguyên 12" in large[10] and "Công ty Chè Xanh Thái Nguyên 3" in large[10]
    assert "Hợp tác xã 12.345 66,67 %" in large[11] and "Không rõ 6.172 33,33 %" in large[11]
    assert "Tổng cộng 18.517 100,00 %" in large[11] and "Xã 18.517 100,00 %" in large[12]


def test_in_english_the_file_speaks_english_and_groups_as_the_reader_does(registry, client, make_user):
    client = _signed_in(client, make_user(Role.ADMIN))
    client.set_cookie("lang", "en")
    body = text_of(client.get("/reports/"))
    _response, wb = _download(client)
    assert wb.sheetnames == ["Status", "Certificates per year and level", "By province or city", "By product group",
                             "By former province", "Losing validity soon", "Results by year and level", "Results by product group",
                             "Results by producer's province", "Results by producer type",
                             "Nominations by year and level", "Nominations by province",
                             "Producers of several products", "Producers by type", "Producers by commune kind"]
    assert sheet_table(wb["Producers by type"])[-3:-1] == [["Not known", 7, 1.0], ["Total", 7, 1]]
    assert wb.worksheets[6]["A3"].value == "Results of the rounds run on the platform"
    assert sheet_table(wb.worksheets[6]) == [["No round with a recognition decision matches."]]
    assert wb.worksheets[0]["A1"].value == "Summary report" and wb.worksheets[0]["A2"].value.startswith(
        "Area: Whole country. Figures as of ")
    assert sheet_table(wb.worksheets[0])[:7] == page_table(body, "standing-table")
    assert wb.worksheets[1]["B6"].number_format == "#,##0"

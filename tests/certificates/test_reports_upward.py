"""The path upward of the summary report (issue 21): nominated, entered, passed and certified at the higher round,
built through the real steps: a Thái Nguyên round certifies three entries (``tests.support.certificates.certify``:
each scored 82, the pass mark 70), its organiser nominates them to the northern regional round on the pages, the
Cục accepts all three, its council scores two 82 and one 50, and the round is decided.

"Passed" is read from the regional vote's tally (``DecisionTally``): the passing entries whose producer stood in
the nominating province at the vote. One of the two passing producers moves to Cà Mau before the vote: its entry
passes under Cà Mau, not Thái Nguyên, though Thái Nguyên nominated it and it is certified.
"""
from io import BytesIO

import pypdfium2
from openpyxl import load_workbook
from sqlalchemy import select, update

from certificates.reports.figures import Area, Filters
from certificates.reports.upward import path_upward
from certificates.reports.workbook import HEADER_ROW
from tests.conftest import login
from tests.factories import deliberate
from tests.helpers import counted_queries, text_of
from tests.support.certificates import FAILING, PASSING, certify, issue_certificates
from tests.support.nominations import decide_and_certify, nominate_on_page, screen_all
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, Decision, DecisionTally, Nomination, Province, Role

THAI_NGUYEN, CA_MAU = "19", "96"


def _province_id(code):
    return db.session.scalar(select(Province.id).where(Province.code == code))


def _path(filters=None, area=None):
    upward = path_upward(area or Area(None), filters or Filters())
    return ([(s.key, s.nominated, s.entered, s.passed, s.certified) for s in upward.by_year_level],
            [(s.name, s.nominated, s.entered, s.passed, s.certified) for s in upward.by_province])


def _page_row(client, table_id):
    """The counts of the first row of one of the page's path upward tables, as shown."""
    table = text_of(client.get("/reports/")).split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [cell.split("</td>")[0] for cell in table.split("<tbody>", 1)[1].split('<td class="num">')[1:]]


def test_passed_counts_the_higher_round_s_passing_entries_of_the_province_s_producers(
        app, client, make_user, signer, regional_round, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    provincial = certify(app, make_user, entries=3, failing=1)
    issue_certificates(app, provincial)
    regional_id, cuc = regional_round()
    source = app.test_client()
    assert login(source, provincial.organiser.email).status_code == 302
    nominate_on_page(source, provincial.round_id, regional_id, provincial.application_ids[:3])
    with app.app_context():
        entries = list(db.session.scalars(select(Nomination.target_application_id).where(
            Nomination.target_round_id == regional_id).order_by(Nomination.source_application_id)))
    admin = make_user(Role.ADMIN)
    assert login(client, admin.email, admin.password).status_code == 302
    year = today_vn().year

    # Not decided yet: nothing is known of who passed ("—"), and nothing is certified.
    with app.app_context():
        assert _path() == ([((year, "khu_vuc"), 3, 0, None, 0)], [("Thái Nguyên", 3, 0, None, 0)])
    region = app.test_client()
    assert login(region, cuc.email).status_code == 302
    screen_all(region, regional_id, entries)
    hall = deliberate(app, make_user, cuc, regional_id, entries, [PASSING, PASSING, FAILING])
    with app.app_context():
        assert _path()[0] == [((year, "khu_vuc"), 3, 3, None, 0)]  # scored, not voted
        moved = db.session.get(Application, entries[1]).producer
        moved.province_id, moved.commune_id = _province_id(CA_MAU), None
        db.session.commit()
    assert _page_row(client, "upward-years-table") == ["3", "3", "—", "0"]

    decide_and_certify(app, hall, cuc.id)
    with app.app_context():
        thai_nguyen, ca_mau = _province_id(THAI_NGUYEN), _province_id(CA_MAU)
        # Entry 0 passed (Thái Nguyên's producer); entry 1 passed as Cà Mau's; entry 2 failed. Both passing
        # entries are certified: "certified" follows the nomination, "passed" the producer at the vote.
        assert _path() == ([((year, "khu_vuc"), 3, 3, 1, 2)], [("Thái Nguyên", 3, 3, 1, 2)])
        assert _path(Filters(province_id=thai_nguyen)) == _path()
        assert _path(area=Area(frozenset({thai_nguyen}))) == _path()
        assert _path(Filters(level="khu_vuc", year_from=year, year_to=year)) == _path()
        # Cà Mau nominated nothing: its producer's passing entry is no step of its own path.
        assert _path(area=Area(frozenset({ca_mau}))) == ([], [])
        assert _path(Filters(group_code="1")) == ([], [])  # every entry is of group 2
        assert _path(Filters(level="quoc_gia")) == ([], [])
        with counted_queries(db.engine) as statements:
            path_upward(Area(None), Filters())
        # The nominations grouped, the tallies of the rounds they went to grouped, the provinces' names.
        assert len(statements) == 3
        assert len([s for s in statements if "decision_tally" in s]) == 1
    assert _page_row(client, "upward-years-table") == ["3", "3", "1", "2"]
    assert _page_row(client, "upward-provinces-table") == ["3", "3", "1", "2"]
    body = text_of(client.get("/reports/"))
    assert "“Đạt điểm”: sản phẩm của cơ sở thuộc tỉnh, thành phố đạt điểm sàn ở đợt cấp trên" in body
    # The PDF and the Excel file have the column where the page has it, between "entered" and "certified".
    pdf = pypdfium2.PdfDocument(client.get("/reports/report.pdf").data)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    assert "Năm, cấp Được đề cử Được chấp nhận dự thi Đạt điểm Được công nhận" in text
    assert f"{year} · Cấp khu vực 3 3 1 2" in text and "Thái Nguyên 3 3 1 2" in text
    sheet = load_workbook(BytesIO(client.get("/reports/report.xlsx").data))["Đề cử theo tỉnh, thành phố"]
    rows = [[v for v in row if v is not None] for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    assert rows[:2] == [["Tỉnh, thành phố", "Được đề cử", "Được chấp nhận dự thi", "Đạt điểm", "Được công nhận"],
                        ["Thái Nguyên", 3, 3, 1, 2]]

    # A vote taken before the tallies were kept has no passing count (the migration left it NULL): not known.
    with app.app_context():
        decisions = select(Decision.id).where(Decision.round_id == regional_id)
        db.session.execute(update(DecisionTally).where(DecisionTally.decision_id.in_(decisions)).values(passed=None))
        db.session.commit()
        assert _path() == ([((year, "khu_vuc"), 3, 3, None, 2)], [("Thái Nguyên", 3, 3, None, 2)])
    assert _page_row(client, "upward-provinces-table") == ["3", "3", "—", "2"]


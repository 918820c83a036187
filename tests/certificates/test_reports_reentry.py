"""The products losing their validity before the next registration (issue 21: "so provinces can plan re-entry").

The seven paper certificates of ``tests.support.registry`` (2024): six valid for a year from today, Thái Nguyên's
own expired; Bắc Kạn's is now Thái Nguyên's.
"""
import io
from datetime import timedelta

import pypdfium2
from openpyxl import load_workbook

from certificates.reports.figures import Area, Filters
from certificates.reports.reentry import CYCLE_MONTHS, losing_validity
from certificates.operations.issuance import add_months
from tests.conftest import login
from tests.factories import make_round
from tests.helpers import text_of
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from tests.support.registry import set_valid_until
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Province, Role, User
from sqlalchemy import select


def test_without_a_scheduled_round_the_next_two_years_count(registry, app):
    set_valid_until(app, ["CP-1"], 30)  # Đắk Lắk's coffee: soonest
    set_valid_until(app, ["HB-1"], None)  # Sơn La's honey: valid without an end, never listed
    today = today_vn()
    with app.app_context():
        found = losing_validity(Area(None), Filters(), today)
        in_group_2 = losing_validity(Area(None), Filters(group_code="2"), today)
    assert found.deadline.day == add_months(today, CYCLE_MONTHS) and found.deadline.round_title == ""
    # Six valid today; the honey never ends; the expired one is not valid today.
    assert found.count == 5 and [p.name for p in found.shown][0] == "Cà phê bột nguyên chất"
    assert found.shown[0].valid_until == today + timedelta(days=30)
    assert {p.name for p in found.shown} == {"Cà phê bột nguyên chất", "Miến dong", "Gạo Hòa Bình", "Cam Cao Phong",
                                             "Chè Shan tuyết cổ thụ"}
    assert in_group_2.count == 1 and in_group_2.shown[0].name == "Chè Shan tuyết cổ thụ"


def test_a_scheduled_provincial_round_sets_the_deadline_and_the_page_names_it(registry, app, client, make_user):
    organiser = make_user(Role.ORGANISER, province_code="19")
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id), title="Bình chọn <b>2027</b> Thái Nguyên")
        round_.registration_closes_on = today_vn() + timedelta(days=200)
        db.session.commit()
    set_valid_until(app, ["MD-1"], 100)  # Bắc Kạn's, now Thái Nguyên's: before the round's deadline
    assert login(client, organiser.email, organiser.password).status_code == 302
    page = client.get("/reports/")
    body = text_of(page)
    deadline = (today_vn() + timedelta(days=200)).strftime("%d/%m/%Y")
    assert f"Hạn nộp hồ sơ đợt cấp tỉnh tới: {deadline} (Bình chọn <b>2027</b> Thái Nguyên)." in body
    assert "(Bình chọn &lt;b&gt;2027&lt;/b&gt; Thái Nguyên)" in page.get_data(as_text=True)  # escaped
    table = body.split('id="reentry-table"', 1)[1].split("</table>", 1)[0]
    assert "Miến dong" in table and (today_vn() + timedelta(days=100)).strftime("%d/%m/%Y") in table
    assert "Cà phê" not in table  # Đắk Lắk's: not this organiser's province
    # A product valid beyond the deadline leaves the list.
    set_valid_until(app, ["MD-1"], 300)
    assert "Không có sản phẩm nào sẽ hết hiệu lực trước hạn này." in text_of(client.get("/reports/"))
    set_valid_until(app, ["MD-1"], 100)
    # The Excel sheet and the PDF annex hold the same list.
    wb = load_workbook(io.BytesIO(client.get("/reports/report.xlsx").data))
    sheet = wb["Sắp hết hiệu lực"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Sản phẩm", "Cơ sở", "Tỉnh, thành phố", "Có giá trị đến"] in values
    assert ["Miến dong", "HTX Miến dong Na Rì", "Thái Nguyên", (today_vn() + timedelta(days=100)).strftime("%d/%m/%Y")] \
        in values
    document = pypdfium2.PdfDocument(client.get("/reports/report.pdf").data)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    assert "SẢN PHẨM SẼ HẾT HIỆU LỰC TRƯỚC HẠN ĐĂNG KÝ ĐỢT TỚI" in text
    assert f"Hạn nộp hồ sơ đợt cấp tỉnh tới: {deadline} (Bình chọn <b>2027</b> Thái Nguyên)." in text
    assert "Miến dong HTX Miến dong Na Rì Thái Nguyên" in text


def test_another_provinces_round_does_not_set_the_deadline(registry, app, make_user):
    other = make_user(Role.ORGANISER, province_code="66")
    with app.app_context():
        round_ = make_round(db.session.get(User, other.id), title="Bình chọn Đắk Lắk")
        round_.registration_closes_on = today_vn() + timedelta(days=200)
        db.session.commit()
        thai_nguyen = db.session.scalar(select(Province.id).where(Province.code == "19"))
        mine = losing_validity(Area(frozenset({thai_nguyen})), Filters(), today_vn())
        theirs = losing_validity(Area(frozenset({round_.province_id})), Filters(), today_vn())
        # A reader of the whole country: its chosen province's round; the whole country's, each province has its
        # own schedule: the next two years.
        chosen = losing_validity(Area(None), Filters(province_id=round_.province_id), today_vn())
        country = losing_validity(Area(None), Filters(), today_vn())
    assert mine.deadline.round_title == "" and theirs.deadline.round_title == "Bình chọn Đắk Lắk"
    assert chosen.deadline == theirs.deadline and country.deadline.round_title == ""
    assert theirs.count == 0  # Đắk Lắk's coffee is valid for a year, past the round's deadline

"""The council's minutes and the decision's list as PDFs in the official layout."""
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.factories import make_deliberating_round
from tests.support.pdf import assert_margins_blank
from voting.rules.signer import SignerBlock
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, Decision, Round, User
from voting.operations.deliberation import publish_results, record_decision, record_vote, set_prize_tiers, strike_entry
from voting.core.pdf import official_date
from voting.documents.minutes import minutes_pdf
from voting.documents.reports import DecisionListDoc, ListRow, decision_list_pdf, header_name, render_decision_list

# Entry i: one row per juror of points for the four criteria (40, 40, 10, 10); None: no sheet.
TABLE = [
    [[33, 34, 9, 9], [34, 33, 9, 8.5], [32, 35, 8, 9]],          # 84,50: long names, Giải A
    [[36, 37, 9, 9.5], [37, 36, 9.5, 9], [36, 36, 9, 9]],        # 91,00: first, struck
    [[25, 26, 6, 6], [24, 25, 7, 6.5], [26, 24.5, 6, 7]],        # 63,00: fails
    [[30, 30, 8, 8], [31, 31, 8, 8], None],                      # below quorum
    [[30, 31, 8, 8], [31, 30, 8.5, 8], [29, 32, 8, 8.5]],        # 77,33: markup in its names, Giải B
]
GROUPS = ("2", "2", "1", "2", "1")
LONG_PRODUCER = ("Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp Sản xuất Chế biến Miến dong Thủ công "
                 "Truyền thống Na Rì tỉnh Thái Nguyên 2025")
# A web address is a long word with no space to wrap at.
LONG_PRODUCT = "Miến dong Na Rì sợi nhỏ hút chân không www.miendongnarithainguyen-chinhhang.com.vn loại đặc biệt"
MARKUP_PRODUCT = "Mật ong bạc hà <b>&\"' Mèo Vạc"
MARKUP_PRODUCER = "Cơ sở <script>alert(1)</script> & Co"
STRIKE_REASON = "Sản phẩm trùng với sản phẩm đã được công nhận ở đợt bình chọn năm 2024"
NUMBER = "123/QĐ-UBND"
SIGNER = "Nguyễn Văn Sơn"


def squash(text):
    """Text without any white space: names wrap wherever the table's columns make them."""
    return "".join(text.split())


def words(text):
    return " ".join(text.split())


@dataclass
class Built:
    minutes: bytes
    listing: bytes
    codes: list
    members: list
    meeting_on: object
    decided_on: object


def build(app, make_user):
    """A Thái Nguyên round voted and decided through the real operations; both PDFs rendered."""
    world = make_deliberating_round(app, make_user, TABLE, groups=GROUPS)
    today = today_vn()
    meeting_on, decided_on = today - timedelta(days=3), today - timedelta(days=1)
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        applications = [db.session.get(Application, i) for i in world.application_ids]
        applications[0].product.name, applications[0].producer.name = LONG_PRODUCT, LONG_PRODUCER
        applications[4].product.name, applications[4].producer.name = MARKUP_PRODUCT, MARKUP_PRODUCER
        secretary = db.session.get(User, world.organiser.id)
        strike_entry(secretary, round_, applications[1], STRIKE_REASON)
        set_prize_tiers(secretary, round_, "rank", [("Giải A", 1, None), ("Giải B", 1, None)])
        decision = record_vote(secretary, round_, meeting_on, 4, 3, 1, 0, "Đề nghị công bố kết quả.", today)
        publish_results(secretary, round_, meeting_on)  # the rules' order: announced, complaints, then decided
        decision.complaints_close_on = decided_on - timedelta(days=1)
        record_decision(secretary, decision, NUMBER, decided_on, SignerBlock(
            capacity="kt", head_title="Chủ tịch", title="Phó Chủ tịch", name=SIGNER), today)
        db.session.commit()
        members = [(m.full_name, m.role) for m in round_.council_members]
        return Built(minutes_pdf(decision), decision_list_pdf(decision), [a.entry_code for a in applications],
                     members, meeting_on, decided_on)


_built = {}


@pytest.fixture
def built(app, make_user):
    # Building and rendering take seconds and every test only reads the two PDFs: build once.
    if "value" not in _built:
        _built["value"] = build(app, make_user)
    return _built["value"]


def text_of(data):
    return words(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages))


def long_date(day):
    dd, mm, yyyy = official_date(day)
    return f"ngày {dd} tháng {mm} năm {yyyy}"


# The minutes ----------------------------------------------------------------------------------------------

def test_minutes_open_with_the_official_header(built):
    text = text_of(built.minutes)
    for expected in ("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "HỘI ĐỒNG BÌNH CHỌN SẢN PHẨM CNNT TIÊU BIỂU",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     f"Thái Nguyên, {long_date(built.meeting_on)}", "BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN",
                     "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên"):
        assert expected in text, expected


def test_minutes_name_the_council_and_who_was_present(built):
    text = text_of(built.minutes)
    assert "Hội đồng có 4 thành viên; có mặt 4 thành viên" in text
    assert "tối thiểu để biểu quyết hợp lệ: 3" in text
    titles = {"chair": "Chủ tịch Hội đồng", "secretary": "Ủy viên kiêm Thư ký", "member": "Ủy viên"}
    for name, role in built.members:
        assert f"{name} {titles[role]}" in text, name
    chair = next(name for name, role in built.members if role == "chair")
    secretary = next(name for name, role in built.members if role == "secretary")
    # The signer blocks side by side: the secretary's, then the chair's, each with its name.
    assert f"THƯ KÝ (Ký, ghi rõ họ tên) {secretary} CHỦ TỊCH HỘI ĐỒNG (Ký, ghi rõ họ tên) {chair}" in text


def test_minutes_record_the_scoring_and_the_vote(built):
    text = text_of(built.minutes)
    for expected in ("Số sản phẩm đưa ra chấm điểm: 5", "(3 phiếu) để xếp hạng: 4",
                     "không đủ số phiếu chấm tối thiểu: 1", "từ 70 điểm trở lên: 3",
                     "gồm 2 sản phẩm", "tán thành 3; không tán thành 1; không biểu quyết 0",
                     "quá nửa số thành viên có mặt tán thành", "Kết quả: danh sách được thông qua",
                     "Đề nghị công bố kết quả."):
        assert expected in text, expected


def test_minutes_list_the_proposed_entries_with_scores_and_prizes(built):
    text = text_of(built.minutes)
    codes = built.codes
    assert f"1 {codes[0]}" in text and f"2 {codes[4]}" in text
    assert squash(f"{LONG_PRODUCT} {LONG_PRODUCER} 2 84,50 Giải A") in squash(text)
    assert squash(f"{MARKUP_PRODUCT} {MARKUP_PRODUCER} 1 77,33 Giải B") in squash(text)
    assert codes[2] not in text.split("4. Danh sách")[-1]  # failed: not proposed


def test_minutes_give_the_struck_entry_with_the_council_reason(built):
    struck = text_of(built.minutes).split("2. Sản phẩm đạt điểm")[1].split("3. Biểu quyết")[0]
    assert built.codes[1] in struck
    assert "91,00" in struck
    assert squash(STRIKE_REASON) in squash(struck)


def test_a_vote_that_fails_has_minutes_with_the_list_it_rejected(app, make_user):
    world = make_deliberating_round(app, make_user, TABLE[:3], groups=GROUPS[:3])
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        secretary = db.session.get(User, world.organiser.id)
        decision = record_vote(secretary, round_, today_vn(), 4, 2, 2, 0, "", today_vn())
        db.session.commit()
        assert not decision.carried
        text = text_of(minutes_pdf(decision))
        codes = [db.session.get(Application, i).entry_code for i in world.application_ids]

    assert "tán thành 2; không tán thành 2" in text
    assert "Kết quả: danh sách không được thông qua" in text
    proposed = text.split("4. Danh sách")[-1]
    assert f"1 {codes[1]}" in proposed and f"2 {codes[0]}" in proposed and codes[2] not in proposed
    assert "2. Sản phẩm đạt điểm nhưng không đưa vào danh sách đề nghị Không có." in text


@pytest.mark.parametrize("name, printed", [
    ("Ủy ban nhân dân tỉnh Thái Nguyên", "Ủy ban nhân dân\ntỉnh Thái Nguyên"),
    ("Uỷ ban nhân dân thành phố Hà Nội", "Uỷ ban nhân dân\nthành phố Hà Nội"),
    ("Bộ Công Thương", "Bộ Công Thương"),
    ("Ủy ban nhân dân", "Ủy ban nhân dân"),
])
def test_authority_names_break_after_the_kind_of_body(name, printed):
    assert header_name(name) == printed


# The decision's list --------------------------------------------------------------------------------------

def test_list_is_an_annex_naming_the_decision_it_is_attached_to(built):
    """Nghị định 30/2020: an annex carries its title and "(Kèm theo Quyết định số … ngày … của …)" under it,
    and no number, place-date line, signer or "Nơi nhận" of its own."""
    text = text_of(built.listing)
    title = text.index("DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU")
    attached = text.index(f"(Kèm theo Quyết định số {NUMBER} {long_date(built.decided_on)} "
                          "của Ủy ban nhân dân tỉnh Thái Nguyên)")
    assert title < attached < text.index("STT")
    for own in ("Số:", f"Thái Nguyên, {long_date(built.decided_on)}", "Nơi nhận", "CHỦ TỊCH", SIGNER,
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert own not in text, own


def test_list_prints_every_certified_product_in_full(built):
    text = text_of(built.listing)
    codes = built.codes
    # Between the producer and the group: the producer's public address (commune and province), frozen at the vote.
    assert squash(f"1 {codes[0]} {LONG_PRODUCT} {LONG_PRODUCER}") in squash(text)
    assert squash(f"2 {codes[4]} {MARKUP_PRODUCT} {MARKUP_PRODUCER}") in squash(text)
    assert squash("Thái Nguyên 2 84,50 Giải A") in squash(text) and squash("Thái Nguyên 1 77,33 Giải B") in squash(text)
    for left_out in (codes[1], codes[2], codes[3], "Sản phẩm thử 1", "Sản phẩm thử 2", "Sản phẩm thử 3"):
        assert left_out not in text, left_out


def test_list_leaves_out_the_strike_reason_and_street_addresses(built):
    text = text_of(built.listing)
    assert squash(STRIKE_REASON) not in squash(text)
    assert "Nà Cà" not in text  # the producers' street address (make_producer)
    assert "0912345678" not in text and "0987654" not in text


def test_names_with_markup_print_literally(built):
    for data in (built.minutes, built.listing):
        text = text_of(data)
        assert MARKUP_PRODUCT in text
        assert squash(MARKUP_PRODUCER) in squash(text)  # "</" is a place to wrap
        assert "&amp;" not in text and "&lt;" not in text


def test_minutes_are_a4_portrait_and_the_list_a4_landscape(built):
    for data, size in ((built.minutes, (595, 842)), (built.listing, (842, 595))):
        for page in PdfReader(BytesIO(data)).pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_pages_are_numbered_in_the_footer(built):
    for data in (built.minutes, built.listing):
        reader = PdfReader(BytesIO(data))
        for number, page in enumerate(reader.pages, start=1):
            assert f"Trang {number}/{len(reader.pages)}" in words(page.extract_text())


# Layout ---------------------------------------------------------------------------------------------------


def test_long_names_wrap_inside_the_page(built):
    assert_margins_blank(built.minutes)
    assert_margins_blank(built.listing)


def many_rows(count):
    return [ListRow(code=f"2.{n:03d}", product=f"{LONG_PRODUCT} {n}" if n % 3 == 0 else f"Chè Tân Cương số {n}",
                    producer=LONG_PRODUCER if n % 2 == 0 else f"Hộ kinh doanh Hoàng Văn {n}", province="Thái Nguyên",
                    group="2", score="80,00") for n in range(1, count + 1)]


def test_a_long_list_repeats_the_table_header_on_every_page(app):
    doc = DecisionListDoc(
        round_title="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên năm 2026",
        attached_to=f"(Kèm theo Quyết định số {NUMBER} ngày 15 tháng 11 năm 2026)", rows=many_rows(60),
        groups=[("2", "Nhóm sản phẩm chế biến nông, lâm, thủy sản và thực phẩm")])
    with app.app_context():
        data = render_decision_list(doc)

    pages = [words(page.extract_text()) for page in PdfReader(BytesIO(data)).pages]
    assert len(pages) >= 3
    header = "STT Mã số Tên sản phẩm Tên cơ sở Địa chỉ Nhóm Điểm"
    for number, text in enumerate(pages, start=1):
        assert header in text, f"no table header on page {number}"
    assert all(f"2.{n:03d}" in " ".join(pages) for n in range(1, 61))
    assert_margins_blank(data)


def test_the_list_needs_a_decided_decision():
    with pytest.raises(ValueError):
        decision_list_pdf(Decision(decision_number=None))

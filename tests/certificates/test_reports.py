"""The organisers' summary report (issue 21): figures per year and level, province, group and standing
today, each reader's own area only, its filters checked with a clear answer.

The seven paper certificates of ``tests.support.registry`` (provincial, 2024): Bắc Kạn's (now Thái
Nguyên) and Thái Nguyên's own, expired; Đắk Lắk, Sơn La, Phú Thọ, Hòa Bình (now Phú Thọ) and Hà Giang
(now Tuyên Quang); six of group 1, one of group 2; all valid for a year but the expired one.
"""
import re

from sqlalchemy import select, update

from tests.conftest import login
from tests.helpers import counted_queries, text_of
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from tests.support.registry import set_valid_until
from voting.extensions import db
from voting.models import Province, Region, Role, User

_CELL = re.compile(r'<tr><th scope="row">([^<]+)</th><td class="num">([^<]+)</td></tr>')


def _table(body, table_id):
    """{row heading: number} of one two-column table of the page."""
    part = body.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return {name.strip(): int(count.replace(".", "")) for name, count in _CELL.findall(part)}


def _report(client, user, **args):
    """The report page as ``user`` sees it (signed in on the first call)."""
    if not getattr(client, "signed_in_as", None) == user.email:
        assert login(client, user.email, user.password).status_code == 302
        client.signed_in_as = user.email
    response = client.get("/reports/", query_string=args)
    assert response.status_code == 200, response.status_code
    return text_of(response)


def test_an_administrator_sees_the_whole_country(registry, client, make_user):
    body = _report(client, make_user(Role.ADMIN))
    assert "Số liệu cả nước." in body
    assert _table(body, "standing-table") == {"Còn hiệu lực": 6, "Hết hiệu lực trong 6 tháng tới": 0,
                                              "Đã hết hiệu lực": 1, "Tạm đình chỉ": 0, "Đã thu hồi": 0, "Tổng cộng": 7}
    assert _table(body, "provinces-table") == {"Thái Nguyên": 2, "Phú Thọ": 2, "Đắk Lắk": 1, "Sơn La": 1,
                                               "Tuyên Quang": 1}
    groups = _table(body, "groups-table")
    assert [count for name, count in groups.items()] == [6, 1] and list(groups)[0].startswith("1. ")
    years = body.split('id="years-table"', 1)[1].split("</table>", 1)[0]
    assert "<th scope=\"col\" class=\"num\">Cấp tỉnh</th>" in years and '<tr><th scope="row">2024</th>' in years
    assert '<svg' in body and 'id="chart-years-title"' in body


def test_a_provinces_organiser_sees_its_own_province_only(registry, client, make_user):
    organiser = make_user(Role.ORGANISER, province_code="19")  # Thái Nguyên, Bắc Kạn's unit since 2025
    body = _report(client, organiser)
    assert _table(body, "provinces-table") == {"Thái Nguyên": 2}
    assert _table(body, "standing-table")["Còn hiệu lực"] == 1 and _table(body, "standing-table")["Đã hết hiệu lực"] == 1
    assert "Đắk Lắk" not in body.split('id="provinces-table"', 1)[1]
    # Another province is not offered, and asking for it anyway is refused, never answered.
    refused = _report(client, organiser, province="66")
    assert "Không có lựa chọn này trong danh sách." in refused and 'id="standing-table"' not in refused


def test_a_regions_organiser_sees_the_provinces_of_its_region_today(registry, app, client, make_user):
    organiser = make_user(Role.ORGANISER, jurisdiction="khu_vuc")
    with app.app_context():
        south_central = db.session.scalar(select(Province.region_id).where(Province.code == "66"))
        db.session.execute(update(User).where(User.id == organiser.id).values(region_id=south_central))
        db.session.commit()
    body = _report(client, organiser)
    assert _table(body, "provinces-table") == {"Đắk Lắk": 1}
    # The report says which provinces it counts: the region's today, as the administrator keeps them.
    with app.app_context():
        names = sorted(db.session.scalars(select(Province.name).where(Province.region_id == south_central)))
    said = " ".join(body.split()).split("Số liệu khu vực của bạn: ", 1)[1].split(".", 1)[0]
    assert said.endswith(" (các tỉnh, thành phố thuộc khu vực theo danh sách hiện nay)")
    assert len(names) > 1 and sorted(said.split(" (", 1)[0].split(", ")) == names


def test_readers_who_are_not_organisers_are_refused(registry, app, client, make_user):
    assert "/login" in client.get("/reports/").headers["Location"]
    for role in (Role.JUROR, Role.PRODUCER):
        reader, user = app.test_client(), make_user(role)
        assert login(reader, user.email, user.password).status_code == 302
        assert reader.get("/reports/").status_code == 403


def test_filters_narrow_and_a_certificate_soon_to_expire_is_named(registry, app, client, make_user):
    set_valid_until(app, ["CP-1"], 30)
    admin = make_user(Role.ADMIN)
    standing = _table(_report(client, admin), "standing-table")
    assert standing["Hết hiệu lực trong 6 tháng tới"] == 1 and standing["Còn hiệu lực"] == 5
    assert _table(_report(client, admin, group="2"), "provinces-table") == {"Tuyên Quang": 1}
    assert "Không có giấy chứng nhận nào phù hợp." in _report(client, admin, year_from="2025")
    assert _table(_report(client, admin, level="tinh", year_from="2024", year_to="2024"), "standing-table")[
        "Còn hiệu lực"] == 5


def test_wrong_filters_are_answered_in_words_and_kept(registry, client, make_user):
    admin = make_user(Role.ADMIN)
    body = _report(client, admin, year_from="hai nghìn", year_to="2024")
    assert "Năm phải là một số từ 2014 đến 2100." in body and 'value="hai nghìn"' in body
    assert 'id="standing-table"' not in body
    body = _report(client, admin, year_from="2024", year_to="2019")
    assert "Năm cuối phải từ năm đầu trở đi." in body and 'value="2019"' in body
    assert "Không có lựa chọn này trong danh sách." in _report(client, admin, level="<script>")
    assert "<script>" not in _report(client, admin, level="<script>").split("</header>", 1)[-1].split(
        "<footer", 1)[0].replace("&lt;script&gt;", "")


def test_the_figures_are_one_grouped_statement(registry, app, client, make_user):
    admin = make_user(Role.ADMIN)
    assert login(client, admin.email, admin.password).status_code == 302
    with app.app_context():
        engine = db.engine
    with counted_queries(engine) as statements:
        assert client.get("/reports/").status_code == 200
    # One sum of the registry's tally per (year, level, province, group, province as certified, standing)
    # feeds every table of the certificates (it was four counts of the certificates, one per table); the
    # whole country's producers with several products and by type and commune kind are read as counted.
    tallied = [s for s in statements if "registry_tally" in s]
    assert len(tallied) == 1 and "AS standing" in tallied[0], "\n\n".join(tallied)
    assert len([s for s in statements if "registry_holder" in s]) == 3  # the list, how many, by type and kind
    reads = [s for s in statements if "registry_certificate" in s]
    assert not reads, "\n\n".join(reads)


def test_the_report_prints_as_an_annex_in_vietnamese(registry, client, make_user):
    """The PDF to attach to a year-end report: A4 landscape, well-formed (qpdf's own check, through pikepdf),
    its text the page's headings and figures, in Vietnamese even for a reader of the English pages."""
    import io

    import pikepdf
    import pypdfium2

    organiser = make_user(Role.ORGANISER, province_code="19")
    _report(client, organiser)
    client.get("/lang/en")
    answer = client.get("/reports/report.pdf", query_string={"year_from": "2024"})
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "So-lieu-CNNT-tieu-bieu-Thai-Nguyen" in answer.headers["Content-Disposition"]
    with pikepdf.open(io.BytesIO(answer.data)) as pdf:
        assert pdf.check_pdf_syntax() == []  # what qpdf --check reports, through pikepdf (qpdf itself)
    document = pypdfium2.PdfDocument(answer.data)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    assert "SỐ LIỆU SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU" in text
    assert "Phạm vi: Thái Nguyên." in text and "Lọc: Từ năm: 2024." in text
    assert "Còn hiệu lực 1" in text and "Đã hết hiệu lực 1" in text and "Tổng cộng 2" in text
    assert "Thái Nguyên 2" in text and "Chưa có đợt bình chọn nào đã có quyết định công nhận phù hợp." in text
    assert "Chưa có sản phẩm nào được đề cử lên đợt bình chọn cấp trên." in text
    assert "Không có cơ sở nào có từ hai sản phẩm được công nhận trở lên." in text
    # Thái Nguyên's two certificates of 2024: one of the former Bắc Kạn, one of the former Thái Nguyên.
    assert "THEO TỈNH CŨ, TRƯỚC KHI SẮP XẾP ĐƠN VỊ HÀNH CHÍNH NĂM 2025" in text  # headings in capitals
    assert "Thái Nguyên Bắc Kạn 1" in text and "Thái Nguyên Thái Nguyên 1" in text and "Thái Nguyên Tổng 2" in text
    refused = client.get("/reports/report.pdf", query_string={"year_from": "1999"})
    assert refused.status_code == 400 and refused.mimetype == "text/html"


def test_producers_with_several_products_are_listed(registry, app, client, make_user):
    """Two more paper certificates of "HTX Miến dong Na Rì" (Bắc Kạn, now Thái Nguyên): one for another product,
    one for the same product at the regional level; it then holds two products (three certificates)."""
    from tests.support.certificate_imports import HEADERS, row
    from certificates.operations.past_imports import import_certificates
    from voting.core.clock import today_vn

    shared = dict(producer_name="HTX Miến dong Na Rì", province="Bắc Kạn", valid_until=None)
    with app.app_context():
        report = import_certificates(None, [HEADERS, row(number="MD-2", product_name="Bún miến dong", **shared),
                                            row(number="MD-KV", level="Cấp khu vực", product_name="Miến dong",
                                                **shared)], "more.xlsx", today_vn())
        assert report.ok, report.problems[:3]
        db.session.commit()
    body = _report(client, make_user(Role.ADMIN))
    holders = body.split('id="holders-table"', 1)[1].split("</table>", 1)[0]
    assert "HTX Miến dong Na Rì" in holders and "(bản giấy)" in holders and holders.count("<tr>") == 2  # header + 1
    assert re.search(r'<td class="num">2</td>', holders)
    assert "1 cơ sở có từ hai sản phẩm được công nhận trở lên." in body
    organiser_elsewhere = make_user(Role.ORGANISER, province_code="66")
    other = app.test_client()
    assert login(other, organiser_elsewhere.email, organiser_elsewhere.password).status_code == 302
    assert "Không có cơ sở nào có từ hai sản phẩm" in text_of(other.get("/reports/"))
    import pypdfium2

    document = pypdfium2.PdfDocument(client.get("/reports/report.pdf").data)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    assert "CƠ SỞ CÓ NHIỀU SẢN PHẨM ĐƯỢC CÔNG NHẬN: 1 CƠ SỞ" in text  # headings print in capitals
    assert "HTX Miến dong Na Rì (bản giấy) Thái Nguyên 2" in text


def test_certificates_from_before_the_merger_are_shown_under_their_former_province_too(registry, client, make_user):
    """Every paper certificate of the fixture is of 2024, before the 2025 merger: each counts once, under the
    province printed on it and in its unit's total."""
    body = _report(client, make_user(Role.ADMIN))
    part = body.split('id="former-provinces-table"', 1)[1].split("</table>", 1)[0]
    units = {}
    for block in part.split("<tbody>")[1:]:
        (unit, total), *formers = [(name.strip(), int(n)) for name, n in re.findall(
            r'<th scope="row"[^>]*>([^<]+)</th><td class="num">(\d+)</td>', block)]
        units[unit] = (total, dict(formers))
    assert units == {"Thái Nguyên": (2, {"Bắc Kạn": 1, "Thái Nguyên": 1}), "Phú Thọ": (2, {"Hòa Bình": 1, "Phú Thọ": 1}),
                     "Tuyên Quang": (1, {"Hà Giang": 1}), "Đắk Lắk": (1, {"Đắk Lắk": 1}), "Sơn La": (1, {"Sơn La": 1})}
    assert "Từ khi sắp xếp" not in part


def test_a_reader_of_the_whole_country_narrows_to_a_region_of_today(registry, app, client, make_user):
    with app.app_context():
        region = db.session.scalar(select(Region).join(Province, Province.region_id == Region.id)
                                   .where(Province.code == "66"))
        code, inside = region.code, {p.name for p in region.provinces}
    admin = make_user(Role.ADMIN)
    body = _report(client, admin, region=code)
    provinces = _table(body, "provinces-table")
    assert provinces == {"Đắk Lắk": 1} and set(provinces) <= inside
    assert _table(body, "standing-table")["Còn hiệu lực"] == 1
    assert "Không có lựa chọn này trong danh sách." in _report(client, admin, region="khong-co")
    # A province's organiser reads the province: no region to choose, one asked for is refused.
    organiser = make_user(Role.ORGANISER, province_code="19")
    reader = app.test_client()
    assert login(reader, organiser.email, organiser.password).status_code == 302
    page = text_of(reader.get("/reports/"))
    assert 'name="region"' not in page
    assert "Không có lựa chọn này trong danh sách." in text_of(reader.get("/reports/", query_string={"region": code}))

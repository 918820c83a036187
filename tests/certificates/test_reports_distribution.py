"""The producers holding certified products by producer type and by commune kind (issue 21).

The seven paper certificates of ``tests.support.registry`` (2024; seven producers known from paper only, see
tests/certificates/test_reports.py) and the round of ``tests.support.certificates.certify`` (Thái Nguyên, this
year: three certified entries, each of its own producer, "Cơ sở thử 0" to "Cơ sở thử 2").
"""
import re
from decimal import Decimal

from sqlalchemy import select

from certificates.reports.distribution import NOT_KNOWN, distribution
from certificates.reports.figures import Area, Filters
from tests.conftest import login
from tests.factories import commune_in
from tests.helpers import text_of
from tests.support.certificate_imports import HEADERS, row
from tests.support.certificates import certify, issue_certificates
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from certificates.operations.past_imports import import_certificates
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Producer, Province, Role

TYPES = ["dnnvv", "htx", "tht", "hkd"]  # voting/data/producer_types.csv, in its order
KINDS = ["xã", "phường", "đặc khu"]


def _counts(parts):
    return [(part.key, part.producers, part.share) for part in parts]


def _zero(keys):
    return [(key, 0, Decimal("0.00")) for key in keys]


def test_a_producer_known_from_paper_only_is_not_known_in_both_tables(registry, app):
    """Seven paper producers; "HTX Miến dong Na Rì" of Bắc Kạn gets a second product (still one producer) and a
    namesake in Đắk Lắk (another producer: told by name and province, as the producers with several products)."""
    shared = dict(producer_name="HTX Miến dong Na Rì", valid_until=None)
    with app.app_context():
        report = import_certificates(None, [HEADERS, row(number="MD-2", product_name="Bún miến dong",
                                                         province="Bắc Kạn", **shared),
                                            row(number="MD-3", product_name="Miến dong", province="Đắk Lắk",
                                                **shared)], "more.xlsx", today_vn())
        assert report.ok, report.problems[:3]
        db.session.commit()
        spread = distribution(Area(None), Filters())
        dak_lak = db.session.scalar(select(Province.id).where(Province.code == "66"))
        in_dak_lak = distribution(Area(frozenset({dak_lak})), Filters())
        none = distribution(Area(None), Filters(year_from=2025))
    assert spread.total == 8
    assert _counts(spread.by_type) == _zero(TYPES) + [(NOT_KNOWN, 8, Decimal("100.00"))]
    assert _counts(spread.by_commune_kind) == _zero(KINDS) + [(NOT_KNOWN, 8, Decimal("100.00"))]
    # Đắk Lắk's own coffee producer and the namesake.
    assert in_dak_lak.total == 2 and in_dak_lak.by_commune_kind[-1].producers == 2
    # Nothing matches: no "not known" row, every other row 0.
    assert none.total == 0 and _counts(none.by_type) == _zero(TYPES)


def _place_producers(app, places):
    """Give the round's producers ("Cơ sở thử <i>") a type and a commune (``None``: no commune), as an edit of
    the producer does (through the session, which keeps the registry's count of producers current)."""
    with app.app_context():
        for index, (type_code, kind) in enumerate(places):
            producer = db.session.scalar(select(Producer).where(Producer.name == f"Cơ sở thử {index}"))
            producer.type_code, producer.commune_id = type_code, commune_in("19", kind=kind).id if kind else None
        db.session.commit()


def test_platform_producers_count_by_their_type_and_commune_today(registry, app, make_user, signer):
    issue_certificates(app, certify(app, make_user, entries=3, failing=1))
    _place_producers(app, [("dnnvv", "phường"), ("htx", "xã"), ("htx", None)])
    with app.app_context():
        spread = distribution(Area(None), Filters())
        this_year = distribution(Area(None), Filters(year_from=today_vn().year))
    # Three producers on the platform and the seven known from paper only.
    assert _counts(spread.by_type) == [("dnnvv", 1, Decimal("10.00")), ("htx", 2, Decimal("20.00")),
                                       ("tht", 0, Decimal("0.00")), ("hkd", 0, Decimal("0.00")),
                                       (NOT_KNOWN, 7, Decimal("70.00"))]
    # The producer without a commune is not known there, with the paper ones.
    assert _counts(spread.by_commune_kind) == [("xã", 1, Decimal("10.00")), ("phường", 1, Decimal("10.00")),
                                               ("đặc khu", 0, Decimal("0.00")), (NOT_KNOWN, 8, Decimal("80.00"))]
    assert [p.name for p in spread.by_type[:2]] == ["Doanh nghiệp nhỏ và vừa", "Hợp tác xã"]
    # This year's certificates only: the round's three, a third and two thirds, rounded half up.
    assert _counts(this_year.by_type)[:2] == [("dnnvv", 1, Decimal("33.33")), ("htx", 2, Decimal("66.67"))]
    assert this_year.by_type[-1].key != NOT_KNOWN and this_year.total == 3


_ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td class="num">([^<]+)</td>\s*<td class="num">([^<]+)</td></tr>')


def _page_table(body, table_id):
    part = body.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [(name.strip(), count, share) for name, count, share in _ROW.findall(part)]


def test_the_page_shows_both_tables_with_shares(registry, app, client, make_user, signer):
    issue_certificates(app, certify(app, make_user, entries=3, failing=1))
    _place_producers(app, [("dnnvv", "phường"), ("htx", "xã"), ("htx", None)])
    admin = make_user(Role.ADMIN)
    assert login(client, admin.email, admin.password).status_code == 302
    body = text_of(client.get("/reports/"))
    assert "Cơ sở có sản phẩm được công nhận" in body
    assert _page_table(body, "distribution-types-table") == [
        ("Doanh nghiệp nhỏ và vừa", "1", "10,00 %"), ("Hợp tác xã", "2", "20,00 %"), ("Tổ hợp tác", "0", "0,00 %"),
        ("Hộ kinh doanh", "0", "0,00 %"), ("Không rõ", "7", "70,00 %"), ("Tổng cộng", "10", "100,00 %")]
    assert _page_table(body, "distribution-kinds-table") == [
        ("Xã", "1", "10,00 %"), ("Phường", "1", "10,00 %"), ("Đặc khu", "0", "0,00 %"), ("Không rõ", "8", "80,00 %"),
        ("Tổng cộng", "10", "100,00 %")]
    # In English, the reader's words (the producer types' names are the reference data's).
    client.get("/lang/en")
    english = text_of(client.get("/reports/"))
    assert ("Not known", "7", "70.00 %") in _page_table(english, "distribution-types-table")
    assert ("Ward (phường)", "1", "10.00 %") in _page_table(english, "distribution-kinds-table")
    # Each reader's notation, in whichever order the languages come (a constant in the template was formatted
    # once, in the language of the request that compiled it).
    assert _page_table(english, "distribution-types-table")[-1] == ("Total", "10", "100.00 %")
    client.get("/lang/vi")
    assert _page_table(text_of(client.get("/reports/")), "distribution-types-table")[-1] == ("Tổng cộng", "10",
                                                                                            "100,00 %")
    # Nothing matches: said in words, no table.
    client.get("/lang/vi")
    empty = text_of(client.get("/reports/", query_string={"year_from": "2019", "year_to": "2019"}))
    assert "Không có cơ sở nào có sản phẩm được công nhận phù hợp." in empty
    assert 'id="distribution-types-table"' not in empty


def test_the_pdf_annex_holds_both_tables(registry, app, client, make_user):
    import pypdfium2

    organiser = make_user(Role.ORGANISER, province_code="66")  # Đắk Lắk: one producer, known from paper only
    assert login(client, organiser.email, organiser.password).status_code == 302
    document = pypdfium2.PdfDocument(client.get("/reports/report.pdf").data)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    # Headings print in capitals.
    assert "CƠ SỞ CÓ SẢN PHẨM ĐƯỢC CÔNG NHẬN: THEO LOẠI HÌNH CƠ SỞ" in text
    assert "Hộ kinh doanh 0 0,00 % Không rõ 1 100,00 % Tổng cộng 1 100,00 %" in text
    assert "Đặc khu 0 0,00 % Không rõ 1 100,00 % Tổng cộng 1 100,00 %" in text

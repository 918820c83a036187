"""Reference data: counts, the two province code lists, idempotent reloads."""
from decimal import Decimal

import vietnam_provinces
from sqlalchemy import func, select

from voting.extensions import db
from voting.models import (
    Commune, FormerProvince, IssuingAuthority, Level, ProducerType, ProductGroup, Province, Region,
    ScoringSheetTemplate,
)
from voting.operations.reference import OFFICIAL_SHEET_CODE, load_reference_data


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_counts(app_ctx):
    assert count(Region) == 3
    assert count(Province) == 34
    assert count(FormerProvince) == 63
    assert count(Commune) == 3321
    assert count(ProductGroup) == 4
    assert count(ProducerType) == 4
    assert count(Level) == 5


def test_regions_split_18_8_8(app_ctx):
    sizes = dict(db.session.execute(
        select(Region.code, func.count(Province.id)).join(Province).group_by(Region.code)).all())
    assert sizes == {"bac": 18, "trung": 8, "nam": 8}


def test_current_codes_match_the_package(app_ctx):
    package = {f"{p.code.value:02d}" for p in vietnam_provinces.Province.iter_all()}
    assert set(db.session.scalars(select(Province.code))) == package


def test_overlapping_codes_name_different_units(app_ctx):
    """15 was Yên Bái and is now (part of) the new Lào Cai: never mix the lists."""
    former = db.session.scalar(select(FormerProvince).where(FormerProvince.code == "15"))
    current = db.session.scalar(select(Province).where(Province.code == "15"))
    assert former.name == "Yên Bái"
    assert current.name == "Lào Cai"
    assert former.current_province is current
    bac_kan = db.session.scalar(select(FormerProvince).where(FormerProvince.name == "Bắc Kạn"))
    assert bac_kan.current_province.name == "Thái Nguyên"


def test_every_former_province_maps_to_a_current_one(app_ctx):
    orphans = db.session.scalar(select(func.count()).select_from(FormerProvince)
                                .where(FormerProvince.current_province_id.is_(None)))
    assert orphans == 0
    lam_dong = db.session.scalar(select(Province).where(Province.name == "Lâm Đồng"))
    assert {f.name for f in lam_dong.former_provinces} == {"Lâm Đồng", "Đắk Nông", "Bình Thuận"}


def test_communes_belong_to_their_province_and_have_clean_names(app_ctx):
    thai_nguyen = db.session.scalar(select(Province).where(Province.code == "19"))
    names = {c.name for c in thai_nguyen.communes}
    assert "Xã Na Rì" in names
    assert not any("  " in c.name for c in db.session.scalars(select(Commune)))


def test_official_scoring_sheet(app_ctx):
    sheet = db.session.scalar(select(ScoringSheetTemplate).where(ScoringSheetTemplate.code == OFFICIAL_SHEET_CODE))
    assert [c.max_points for c in sheet.criteria] == [Decimal(40), Decimal(40), Decimal(10), Decimal(10)]
    assert sheet.total == Decimal(100)
    assert sheet.default_pass_mark == Decimal(70)


def test_authorities_seeded(app_ctx):
    assert count(IssuingAuthority) == 36
    ministry = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "BCT"))
    assert ministry.name == "Bộ Công Thương" and ministry.jurisdiction_level == "quoc_gia"
    tn = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "UBND-19"))
    assert tn.name == "Ủy ban nhân dân tỉnh Thái Nguyên"


def test_reload_adds_nothing_and_keeps_admin_edits(app_ctx):
    province = db.session.scalar(select(Province).where(Province.code == "68"))
    nam = db.session.scalar(select(Region).where(Region.code == "nam"))
    province.region = nam
    authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "CDMST"))
    authority.name = "Cục Công Thương địa phương"
    db.session.commit()
    counts = load_reference_data()
    db.session.commit()
    assert not any(counts.values())
    db.session.expire_all()
    assert db.session.scalar(select(Province).where(Province.code == "68")).region.code == "nam"
    assert db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "CDMST")).name \
        == "Cục Công Thương địa phương"


def test_stored_names_are_nfc(app_ctx):
    import unicodedata

    for name in db.session.scalars(select(Commune.name)):
        assert unicodedata.normalize("NFC", name) == name

"""Loading reference data idempotently.

Sources: the CSV and JSON files in ``voting/data`` (copied from the domain
reference) and the pinned ``vietnam-provinces`` package for communes. Rows
that exist are left as they are, so an administrator's edits (region
membership, authority names) survive a reload; the one exception is a unit
still under a name since corrected (:data:`RENAMED`), which takes the new one.
"""
import csv
import json
from decimal import Decimal
from pathlib import Path

import vietnam_provinces
from sqlalchemy import select

from voting.extensions import db
from voting.models import (
    Commune,
    FormerProvince,
    IssuingAuthority,
    Level,
    ProducerType,
    ProductGroup,
    Province,
    Region,
    ScoringCriterionTemplate,
    ScoringSheetTemplate,
)
from voting.operations.audit import record_event
from voting.core.text import fold, nfc, province_key

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OFFICIAL_SHEET_CODE = "tt26-2014-pl4"
EXPECTED_COUNTS = {"region": 3, "province": 34, "former_province": 63, "commune": 3321}


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _existing(model, key="code"):
    return {getattr(obj, key): obj for obj in db.session.scalars(select(model))}


def _load_simple(model, filename, build):
    existing, added = _existing(model), 0
    for position, row in enumerate(_rows(filename)):
        if row["code"] not in existing:
            db.session.add(build(row, position))
            added += 1
    return added


def load_regions():
    return _load_simple(Region, "regions.csv", lambda r, i: Region(code=r["code"], name=r["name"], position=i))


def load_levels():
    return _load_simple(Level, "levels.csv", lambda r, i: Level(
        code=r["code"], name=r["name"], organiser=r["organiser"],
        certificate_issued_by=r["certificate_issued_by"], entry_requires=r["entry_requires"] or "",
        position=i, historical=(r["code"] == "huyen"),
    ))


def load_product_groups():
    return _load_simple(ProductGroup, "product_groups.csv", lambda r, i: ProductGroup(code=r["code"], name=r["name"]))


def load_producer_types():
    return _load_simple(ProducerType, "producer_types.csv", lambda r, i: ProducerType(code=r["code"], name=r["name"]))


#: Names loaded before they were corrected: ``{code: old name}``. A row still holding the old name
#: takes the new one on the next load (a name an administrator changed is left alone). "Hồ Chí Minh"
#: alone is a person; the unit is "Thành phố Hồ Chí Minh", before and after the 2025 reform.
RENAMED = {"79": "Hồ Chí Minh"}


def _rename(existing, rows):
    """Give rows still holding an old name (:data:`RENAMED`) their corrected name; return how many."""
    renamed = 0
    for row in rows:
        unit = existing.get(row["code"])
        if unit is not None and unit.name == RENAMED.get(row["code"]) and unit.name != row["name"]:
            unit.name, unit.name_folded = row["name"], province_key(row["name"])
            renamed += 1
    return renamed


def load_provinces():
    regions = _existing(Region)
    existing, added = _existing(Province), 0
    package_names = {f"{p.code.value:02d}": p for p in vietnam_provinces.Province.iter_all()}
    rows = _rows("provinces.csv")
    for row in rows:
        if row["code"] not in package_names:
            raise ValueError(f"province {row['code']} {row['name']} is not in vietnam-provinces")
        if row["code"] in existing:
            continue
        db.session.add(Province(
            code=row["code"], name=row["name"], name_folded=province_key(row["name"]),
            kind=row["kind"], region=regions[row["region"]],
        ))
        added += 1
    added += _rename(existing, rows)
    db.session.flush()
    return added


def load_former_provinces():
    current = _existing(Province)
    existing, added = _existing(FormerProvince), 0
    rows = _rows("provinces_before_2025.csv")
    added += _rename(existing, rows)
    for row in rows:
        if row["code"] in existing:
            continue
        db.session.add(FormerProvince(
            code=row["code"], name=row["name"], name_folded=province_key(row["name"]),
            former_region_code=row["region"],
            # now_part_of is a code in the *current* list, looked up there only.
            current_province=current[row["now_part_of"]],
        ))
        added += 1
    return added


def load_communes():
    provinces = {p.code: p.id for p in db.session.scalars(select(Province))}
    existing = set(db.session.scalars(select(Commune.code)))
    new_rows = []
    for ward in vietnam_provinces.Ward.iter_all():
        code = f"{ward.code.value:05d}"
        if code in existing:
            continue
        # The package has stray doubled spaces in some names ("Phường  Buôn Ma Thuột").
        name = " ".join(nfc(ward.name).split())
        new_rows.append({
            "code": code, "name": name, "name_folded": fold(name),
            "division_type": ward.division_type.value,
            "province_id": provinces[f"{ward.province_code.value:02d}"],
        })
    if new_rows:
        db.session.execute(Commune.__table__.insert(), new_rows)
    return len(new_rows)


def load_scoring_sheet():
    if db.session.scalar(select(ScoringSheetTemplate).where(ScoringSheetTemplate.code == OFFICIAL_SHEET_CODE)):
        return 0
    spec = json.loads((DATA_DIR / "scoring_sheet.json").read_text(encoding="utf-8"))
    sheet = ScoringSheetTemplate(
        code=OFFICIAL_SHEET_CODE, name=nfc(spec["name"]), source=nfc(spec["source"]),
        total=Decimal(spec["total"]), default_pass_mark=Decimal(spec["default_pass_mark"]),
    )
    for position, criterion in enumerate(spec["criteria"]):
        sheet.criteria.append(ScoringCriterionTemplate(
            code=criterion["code"], name=nfc(criterion["name"]),
            max_points=Decimal(criterion["max_points"]), position=position,
        ))
    if sum(c.max_points for c in sheet.criteria) != sheet.total:
        raise ValueError("scoring sheet criteria do not add up to its total")
    db.session.add(sheet)
    return 1


def load_authorities():
    """Seed one authority per province plus the Cục and the Ministry, if missing."""
    existing, added = _existing(IssuingAuthority), 0
    seeds = [
        IssuingAuthority(
            code="BCT", name="Bộ Công Thương", jurisdiction_level="quoc_gia", place_name="Hà Nội",
            number_template="{seq}/GCN-BCT",
        ),
        IssuingAuthority(
            code="CDMST", name="Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
            parent_name="Bộ Công Thương", jurisdiction_level="khu_vuc", place_name="Hà Nội",
            number_template="{seq}/GCN-CĐMST",
        ),
    ]
    for province in db.session.scalars(select(Province).order_by(Province.code)):
        seeds.append(IssuingAuthority(
            code=f"UBND-{province.code}", name=f"Ủy ban nhân dân {province.full_name}",
            jurisdiction_level="tinh", province_id=province.id, place_name=province.name,
        ))
        old = RENAMED.get(province.code)
        seeded = existing.get(f"UBND-{province.code}")
        if old and seeded is not None and province.name != old:  # seeded under the old name, never edited since
            if seeded.name == f"Ủy ban nhân dân {province.kind} {old}":
                seeded.name, added = f"Ủy ban nhân dân {province.full_name}", added + 1
            if seeded.place_name == old:
                seeded.place_name = province.name
    for authority in seeds:
        if authority.code not in existing:
            db.session.add(authority)
            added += 1
    return added


def load_reference_data(actor=None):
    """Load every reference table; return ``{table: rows added}``. Safe to repeat."""
    counts = {}
    for name, loader in [
        ("region", load_regions), ("level", load_levels), ("product_group", load_product_groups),
        ("producer_type", load_producer_types), ("province", load_provinces),
        ("former_province", load_former_provinces), ("commune", load_communes),
        ("scoring_sheet", load_scoring_sheet), ("issuing_authority", load_authorities),
    ]:
        counts[name] = loader()
        db.session.flush()
    if any(counts.values()):
        record_event(actor, "reference.load", object_type="reference", data=counts)
    return counts

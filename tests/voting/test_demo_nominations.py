"""The demo's history and nominations: past certificates sized like the real rounds, former provinces
linked to today's, and a northern regional round open now with nominations from three provinces.

The demo is seeded once for the module and what the tests need is copied out
as plain values, because the conftest empties the database after every test.
"""
import random
import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from voting.core.clock import today_vn
from tests.support import demo_world
from voting.demo.history import BATCHES, PLACES, WRITTEN_AS, history_rows
from voting.rules.eligibility import nomination_problems, round_is_open
from voting.extensions import db
from voting.models import AuditEvent, Nomination, Province, Round, User
from certificates.models import CertificateStatus, ImportedCertificate
from voting.operations.audit import verify_chain

# The demo is seeded once for the module (~8 s): on one worker, not once on each.
pytestmark = pytest.mark.xdist_group(demo_world.GROUP)


def _history():
    rows = db.session.scalars(select(ImportedCertificate)).all()
    emails = dict(db.session.execute(select(User.id, User.email)).all())
    return {
        "rows": [(c.level, c.year, c.number, c.decision_number, c.decision_on, c.valid_until, c.group_code,
                  c.province_name_then, c.province_id, c.product_name, c.producer_name, c.source_file_name,
                  emails.get(c.imported_by_id)) for c in rows],
        "thai_nguyen": db.session.scalar(select(Province.id).where(Province.code == "19")),
        "imports": db.session.execute(select(AuditEvent.action, AuditEvent.actor_id).where(
            AuditEvent.action == "certificate.import")).all(),
    }


def _nominations(today):
    target = db.session.scalar(select(Round).where(Round.jurisdiction_level == "khu_vuc"))
    nominations = []
    paper = []
    for n in db.session.scalars(select(Nomination).where(Nomination.target_round_id == target.id)
                                .order_by(Nomination.id)):
        source, certificate = n.source_application, n.source_certificate
        if source is None:  # from Tuyên Quang's paper list
            producer = n.target_application.producer
            paper.append({"province": n.province.code, "certificate_level": n.source_imported_certificate.level,
                          "imported": producer.imported_at is not None, "is_demo": producer.is_demo,
                          "withdrawn": n.withdrawn_at is not None})
            continue
        nominations.append({
            "province": source.round.province.code, "region": source.round.province.region.code,
            "source_level": source.round.jurisdiction_level, "source_status": source.round.status,
            "certificate_level": certificate.level, "certificate_status": certificate.status,
            "certificate_on_deadline": certificate.status_on(target.registration_closes_on),
            "target_status": n.target_application.status, "withdrawn": n.withdrawn_at is not None,
            "reason": n.target_application.withdrawal_reason, "nominated_by": n.nominated_by_id,
            "organiser_province": db.session.get(User, n.nominated_by_id).province.code,
            "problems": nomination_problems(source, target, today),
            "product": source.product.name, "same_product": n.target_application.product_id == source.product_id,
        })
    creator = db.session.get(User, target.created_by_id)
    return {
        "round": {"level": target.jurisdiction_level, "region": target.region.code, "open": round_is_open(target, today),
                  "creator_level": creator.jurisdiction_level, "title": target.title, "year": target.year},
        "nominations": nominations,
        "paper": paper,
        "actions": Counter(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.in_(("nomination.create", "nomination.withdraw"))))),
        "chain_ok": verify_chain().ok,
    }


@demo_world.takes_snapshot("nominations")
def _nominations_snapshot():
    today = today_vn()
    return {"history": _history(), "nominations": _nominations(today), "today": today}


@pytest.fixture(scope="module")
def demo(app):
    return {**demo_world.snapshot(app, "nominations"), "counts": demo_world.snapshot(app, "counts")}


# --- the historical certificates ---------------------------------------------------------------

def test_history_has_the_real_rounds_sizes(demo):
    rows = demo["history"]["rows"]
    by_round = Counter((r[0], r[1]) for r in rows)
    # Tuyên Quang's paper nomination list adds its provincial certificates of last year.
    paper = {("tinh", demo["today"].year - 1): 3}
    assert by_round == {("quoc_gia", 2019): 150, ("quoc_gia", 2021): 200, ("khu_vuc", 2022): 200,
                        ("khu_vuc", 2024): 439, **paper}
    assert demo["counts"]["imported_certificates"] == len(rows) - 3 == 989
    # The group mix of the national round of 2023: processing first, handicraft last.
    groups = Counter(r[6] for r in rows)
    assert groups["2"] > 0.6 * len(rows) and groups["3"] > groups["4"] > groups["1"] > 0.08 * len(rows)
    # Imported as the demo administrator would, one file per round, each labelled as a demonstration.
    history = [r for r in rows if r[0] != "tinh"]
    assert {r[12] for r in history} == {"quantri@demo.cnnt.vn"}
    assert len(demo["history"]["imports"]) == len({r[11] for r in history}) == 4
    assert all(r[11].startswith("du-lieu-trinh-dien-") for r in rows)


def test_history_decisions_and_validity_match_each_year(demo):
    decisions = {}
    for level, year, number, decision_number, decision_on, valid_until, *_rest in demo["history"]["rows"]:
        assert decision_on.year == year and decision_on <= demo["today"]
        assert valid_until == decision_on.replace(year=year + 3)
        if level == "tinh":  # Tuyên Quang's paper list: the official form, "3/GCN-UBND"
            assert re.fullmatch(r"\d+/GCN-UBND", number), number
        else:  # the history's numbers carry their year, as the Bộ's and the Cục's did
            assert str(year) in number
        decisions.setdefault((level, year), set()).add((decision_number, decision_on))
    assert all(n.endswith("/QĐ-BCT") for (level, _), ds in decisions.items() if level == "quoc_gia" for n, _ in ds)
    assert all(n.endswith("/QĐ-CTĐP") for (level, _), ds in decisions.items() if level == "khu_vuc" for n, _ in ds)
    assert len(decisions["khu_vuc", 2024]) == 3  # one decision per region
    # The 2022 regional round was the South's: every province then was a southern one.
    south = {r[7] for r in demo["history"]["rows"] if r[1] == 2022}
    assert "Cần Thơ" in south and "Bắc Kạn" not in south and "Hà Nội" not in south


def test_history_names_former_provinces_and_links_them_to_todays(demo):
    rows = demo["history"]["rows"]
    bac_kan = [r for r in rows if r[7] == "Bắc Kạn"]
    assert len(bac_kan) >= 10 and {r[1] for r in bac_kan} == {2019, 2021, 2024}
    assert {r[8] for r in bac_kan} == {demo["history"]["thai_nguyen"]}
    assert any(r[9] == "Miến dong Na Rì" for r in bac_kan)
    # Names as they were then: other former provinces too, every one resolved to a current unit.
    assert {"Hà Giang", "Bắc Giang", "Thừa Thiên Huế", "Bình Dương"} <= {r[7] for r in rows}
    assert all(r[8] is not None for r in rows)
    # Some producers come back in later rounds.
    producers = Counter((r[7], r[10]) for r in rows)
    assert sum(1 for n in producers.values() if n > 1) >= 50


def test_history_products_are_made_where_they_come_from(demo):
    """No fish sauce from an inland province, no Shan tuyết tea or corn liquor from the delta (issue 18)."""
    assert {"Lạng Sơn", "Tuyên Quang", "Phú Thọ", "Bình Phước", "Hà Nội", "Gia Lai"}.isdisjoint(PLACES["coast"])
    assert {"Nam Định", "Thái Bình", "Hải Phòng", "Hà Nội", "Cần Thơ"}.isdisjoint(PLACES["upland"])
    written = {then: name for name, then in WRITTEN_AS.items()}
    coastal, upland = Counter(), Counter()
    for *_before, province, _current, product, _producer, _file, _email in demo["history"]["rows"]:
        province = written.get(province, province)
        if product.startswith(("Nước mắm", "Mắm tôm")):
            coastal[province in PLACES["coast"]] += 1
        if product.startswith(("Chè Shan tuyết", "Rượu ngô", "Khăn thổ cẩm", "Thịt trâu gác bếp")):
            upland[province in PLACES["upland"]] += 1
    assert coastal[True] > 0 and upland[True] > 0 and not coastal[False] and not upland[False], (coastal, upland)


def test_history_rows_are_the_same_every_time():
    former = [("Bắc Kạn", "bac"), ("Hà Nội", "bac"), ("Khánh Hòa", "trung"), ("Cần Thơ", "nam")]
    first, second = history_rows(former, random.Random(2019)), history_rows(former, random.Random(2019))
    assert first == second
    assert [name for name, _rows in first] == [batch[0] for batch in BATCHES]
    assert all(isinstance(cell, date) for _name, rows in first for cell in rows[1][4:5])


# --- the regional round and its nominations ----------------------------------------------------

def test_the_northern_regional_round_is_open_now(demo):
    round_ = demo["nominations"]["round"]
    assert round_ == {**round_, "level": "khu_vuc", "region": "bac", "open": True, "creator_level": "khu_vuc",
                      "year": demo["today"].year}
    assert "khu vực phía Bắc" in round_["title"]


def test_nominations_come_from_three_provinces_with_valid_certificates(demo):
    nominations = demo["nominations"]["nominations"]
    standing = [n for n in nominations if not n["withdrawn"]]
    assert len({n["province"] for n in standing}) >= 3
    assert {"19", "01", "24"} <= {n["province"] for n in standing}
    for n in nominations:
        assert n["region"] == "bac" and n["source_level"] == "tinh" and n["same_product"]
        assert n["source_status"] in ("certifying", "closed")
        assert n["certificate_level"] == "tinh" and n["certificate_status"] == CertificateStatus.VALID
        assert n["certificate_on_deadline"] == "valid"
        assert n["organiser_province"] == n["province"]  # each province's own organiser nominates
    for n in standing:
        assert n["target_status"] == "submitted"
        assert n["problems"] == ["already_nominated"]  # eligible in every other respect
    assert demo["counts"]["nominations"] - demo["counts"]["nominations_on_paper"] == len(nominations) == 9
    assert Counter(n["province"] for n in nominations) == {"19": 3, "01": 3, "24": 3}


def test_one_nomination_is_withdrawn(demo):
    withdrawn = [n for n in demo["nominations"]["nominations"] if n["withdrawn"]]
    assert len(withdrawn) == demo["counts"]["nominations_withdrawn"] == 1
    assert withdrawn[0]["target_status"] == "withdrawn" and len(withdrawn[0]["reason"]) > 40
    assert withdrawn[0]["problems"] == []  # it could be nominated again
    assert demo["nominations"]["actions"] == {"nomination.create": 9 + 3, "nomination.withdraw": 1}


def test_the_demo_producers_own_entry_is_not_nominated(demo):
    """Its inbox tells the provincial story (tests/voting/test_demo.py pins it)."""
    assert "Miến dong Na Rì" not in {n["product"] for n in demo["nominations"]["nominations"]}


def test_audit_chain_still_verifies(demo):
    assert demo["nominations"]["chain_ok"]


def test_a_paper_list_joins_the_regional_round(demo):
    """Tuyên Quang is still on paper: its list was imported by the regional organiser."""
    from voting.demo.nominations import PAPER_LIST

    paper = demo["nominations"]["paper"]
    assert len(paper) == len(PAPER_LIST)
    assert all(p == {"province": "08", "certificate_level": "tinh", "imported": True, "is_demo": True,
                     "withdrawn": False} for p in paper)
    assert demo["counts"]["nominations_on_paper"] == len(PAPER_LIST)

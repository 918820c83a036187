"""Seeding the realistic, clearly labelled demo dataset (dữ liệu trình diễn): :func:`seed_demo`.

This module adds the producers, products, accounts, the open provincial rounds and
their screening itself, from :mod:`voting.demo.data`, and calls the other demo
modules for the rest (scoring, last year's results, certificates, nominations,
history); none of them imports it.

Every producer is invented and carries ``is_demo=True``; every account lives
under ``demo.cnnt.vn``. Products are the kinds that provincial and regional
reviews name (miến dong, chè, mật ong, mắc ca, gốm, máy nông nghiệp ...).
The data is fixed and the little randomness (phones, registration numbers)
comes from a seeded generator, so every run produces the same rows.

A dozen products in Thái Nguyên and Khánh Hòa carry a full dossier: three
drawn photos and the papers (registration copy, food-safety certificate, test
report, award; see :mod:`voting.demo.dossiers`), stored through the real upload
checks. Each province's organiser opens a round around today's date (Vietnam
time) and screens the entries, so applications stand in every state, from
draft to withdrawn, with the audit trail and inbox messages the real
operations leave. Only the round dates, the storage names and the timestamps
change from run to run.
"""
import random
import re
from datetime import timedelta

from sqlalchemy import select, update

from voting.core.clock import today_vn
from voting.core.passwords import hash_password
from voting.core.text import fold, nfc
from voting.demo import nominations as demo_nominations
from voting.demo import results as demo_results
from voting.demo import seed_part
from voting.demo.data import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_ROUNDS, PRODUCERS, PRODUCT_KINDS, PRODUCT_SETS
from voting.demo.dossiers import place_name, plan_dossiers
from voting.demo.files import FileStore
from voting.demo.scoring import seed_scoring
from voting.extensions import db
from voting.models import (
    JurisdictionLevel,
    ApplicationStatus,
    Commune,
    IssuingAuthority,
    PasswordResetToken,
    Producer,
    Product,
    ProductSetItem,
    Province,
    Region,
    Role,
)
from voting.models.base import utcnow
from voting.operations.accounts import create_staff_account, register_producer
from voting.demo.screening import accept as accept_entry
from voting.operations.applications import (
    reject_application,
    return_application,
    start_application,
    submit_application,
    withdraw_application,
)
from voting.rules.commitments import commitment_codes
from voting.operations.audit import record_event
from voting.operations.products import remove_product_file
from voting.operations.rounds import create_round, open_registration

__all__ = ["DEMO_ACCOUNTS", "seed_demo"]  # DEMO_ACCOUNTS: the logins the CLI prints after seeding

_MOBILE_PREFIXES = ("091", "094", "098", "097", "086", "035", "038", "083", "088", "039")
_TYPE_PREFIXES = ("cong ty tnhh ", "cong ty co phan ", "hop tac xa ", "to hop tac ", "ho kinh doanh ")


def _email_slug(name):
    folded = fold(name)
    for prefix in _TYPE_PREFIXES:
        folded = folded.removeprefix(prefix)
    return ".".join(re.findall(r"[a-z0-9]+", folded))


def _registration_number(rng, type_code, province_code, index, taken):
    """Invent a registration number; unique within the demo set."""
    if type_code == "tht" and index % 2 == 0:
        return None  # a tổ hợp tác often has only a cooperation contract
    while True:
        if type_code in ("dnnvv", "htx"):
            number = f"{rng.randrange(10**9, 10**10)}"
        elif type_code == "hkd":
            number = f"{province_code}{rng.choice('ABCDEF')}8{rng.randrange(10**6):06d}"
        else:
            number = f"{rng.randrange(1, 40):02d}/{rng.randrange(2016, 2025)}/HĐHT"
        if number not in taken:
            taken.add(number)
            return number


def _communes(province_ids):
    """Return ``{province_id: {folded name: commune}}`` and ``{province_id: [rural communes]}``."""
    by_name, rural = {}, {}
    rows = db.session.scalars(
        select(Commune).where(Commune.province_id.in_(province_ids)).order_by(Commune.code)
    )
    for commune in rows:
        by_name.setdefault(commune.province_id, {})[fold(commune.name)] = commune
        if commune.division_type == "xã":
            rural.setdefault(commune.province_id, []).append(commune)
    return by_name, rural


def _seed_producers(rng, provinces):
    by_name, rural = _communes([p.id for p in provinces.values()])
    producers, products, taken = [], [], set()
    for index, (code, type_code, name, commune_name, address, representative, items) in enumerate(PRODUCERS):
        province = provinces[code]
        commune = by_name.get(province.id, {}).get(fold(commune_name))
        if commune is None:
            choices = rural.get(province.id)
            if not choices:
                raise RuntimeError(f"Reference data is missing: no communes for province {code}.")
            commune = choices[index % len(choices)]
        producer = Producer(
            name=nfc(name), name_folded=fold(name), type_code=type_code,
            registration_number=_registration_number(rng, type_code, code, index, taken),
            province_id=province.id, commune_id=commune.id, address=nfc(address),
            representative=nfc(representative),
            phone=rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}",
            email=f"{_email_slug(name)}@{DEMO_DOMAIN}", is_demo=True,
        )
        producers.append(producer)
        context = {"place": place_name(commune), "province": province.name}
        for position, (kind, product_name, *variant) in enumerate(items):
            group_code, variants = PRODUCT_KINDS[kind]
            text = variants[(variant[0] if variant else position) % len(variants)]
            items = PRODUCT_SETS.get(product_name, ())
            products.append(Product(
                producer=producer, name=nfc(product_name), name_folded=fold(product_name),
                group_code=group_code,
                description=nfc(text.format(**context)),
                is_set=bool(items),
                set_items=[ProductSetItem(name=nfc(item), position=i) for i, item in enumerate(items)],
            ))
    db.session.add_all(producers)
    db.session.add_all(products)
    db.session.flush()
    return producers, products


def _seed_accounts(actor, provinces, regions, producers):
    users = []
    for account in DEMO_ACCOUNTS:
        if account["role"] == Role.PRODUCER:
            producer = producers[account["producer_index"]]
            user = register_producer(account["email"], account["password"], producer.phone,
                                     full_name=producer.representative)
            user.producer = producer
        else:
            user, _token = create_staff_account(
                actor, email=account["email"], full_name=account["full_name"], role=account["role"],
                title=account["title"], jurisdiction_level=account.get("jurisdiction_level"),
                region=regions.get(account.get("region_code")),
                province=provinces.get(account.get("province_code")),
            )
            user.password_hash = hash_password(account["password"])
            user.password_changed_at = utcnow()
        users.append(user)
    db.session.flush()
    # The passwords are set and printed, so the welcome links are spent.
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id.in_([u.id for u in users]), PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return users



def _seed_rounds(actor_by_email, provinces, today):
    rounds = {}
    for code, (email, opened, left) in DEMO_ROUNDS.items():
        organiser = actor_by_email[email]
        province = provinces[code]
        authority = db.session.scalar(select(IssuingAuthority).where(
            IssuingAuthority.province_id == province.id,
            IssuingAuthority.jurisdiction_level == JurisdictionLevel.PROVINCE))
        # Next year's round takes registrations while this year's is being scored (voting.demo.scoring):
        # one round per level, province and cycle.
        round_ = create_round(organiser, {
            "title": f"Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu {province.full_name} "
                     f"năm {today.year + 1}",
            "year": today.year + 1,
            "registration_opens_on": today - timedelta(days=opened),
            "registration_closes_on": today + timedelta(days=left),
            "require_signed_registration_form": False,  # the demo keeps its signed forms on paper
        }, authority)
        open_registration(organiser, round_)
        rounds[code] = (round_, organiser)
    return rounds


def _seed_dossiers(actor, producers, dossiers, rounds, files, today):
    """Record the demo files and walk the applications through screening, in order."""
    applications = []
    for dossier in dossiers:
        producer, product = producers[dossier.producer_index], dossier.product
        # The producer's own account acts where there is one; otherwise whoever seeds.
        owner = next((user for user in producer.accounts if user.active), actor)
        for pending in dossier.files:
            files.record(owner, product, pending)
        round_, organiser = rounds[PRODUCERS[dossier.producer_index][0]]
        application = start_application(owner, producer, product, round_, today)
        for step in dossier.steps:
            verb, argument = (step, None) if isinstance(step, str) else step
            if verb == "submit":
                submit_application(owner, application, today, commitment_codes())
            elif verb == "return":
                return_application(organiser, application, argument)
            elif verb == "accept":
                accept_entry(organiser, application)
            elif verb == "reject":
                reject_application(organiser, application, argument)
            elif verb == "withdraw":
                withdraw_application(owner, application, argument)
            elif verb == "add":
                files.record(owner, product, dossier.later[argument])
            elif verb == "replace_registration":
                old = next(f for f in product.documents if f.document_type == "registration")
                remove_product_file(owner, old)
                db.session.flush()
                files.forget(old)
                db.session.expire(product, ["files"])
                files.record(owner, product, dossier.later["registration"])
            else:
                raise ValueError(f"unknown demo step {verb!r}")
        applications.append(application)
    return applications


def _seed_scoring(users, applications, today):
    organisers = {u.province.code: u for u in users
                  if u.role == Role.ORGANISER and u.jurisdiction_level == JurisdictionLevel.PROVINCE}
    jurors = [u for u in users if u.role == Role.JUROR]
    accepted = {code: [a for a in applications if a.status == ApplicationStatus.ACCEPTED
                       and a.round.province_id == organiser.province_id]
                for code, organiser in organisers.items()}
    return seed_scoring(organisers, jurors, accepted, today)


def seed_demo(actor=None):
    """Add the demo producers, products, accounts, files, rounds and applications; return the counts.

    The caller checks that the database holds no demo data yet, and commits.
    Files are written to the uploads storage as they are recorded; if seeding
    fails, those written so far are deleted again.

    :raise RuntimeError: when reference data (provinces, regions) is not loaded.
    """
    provinces = {p.code: p for p in db.session.scalars(select(Province))}
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    needed = {row[0] for row in PRODUCERS}
    needed |= {a["province_code"] for a in DEMO_ACCOUNTS if "province_code" in a}
    if not provinces or not needed <= provinces.keys():
        raise RuntimeError("Reference data is missing: load provinces and communes before seeding the demo.")
    if any(a.get("region_code") not in regions for a in DEMO_ACCOUNTS if "region_code" in a):
        raise RuntimeError("Reference data is missing: regions are not loaded.")
    rng = random.Random(2026)
    producers, products = _seed_producers(rng, provinces)
    today = today_vn()
    with FileStore() as files:
        # The files are drawn and stored in the background while the passwords are hashed.
        dossiers = plan_dossiers(producers, products, files)
        late_dossiers = demo_results.plan_dossiers(producers, files)
        nominated_dossiers = demo_nominations.plan_dossiers(producers, files)
        users = _seed_accounts(actor, provinces, regions, producers)
        rounds = _seed_rounds({u.email: u for u in users}, provinces, today)
        applications = _seed_dossiers(actor, producers, dossiers, rounds, files, today)
        scoring = _seed_scoring(users, applications, today)
        published = demo_results.seed_results(actor, users, producers, files, late_dossiers, today)
        published.update(seed_part("certificates", users, today))
        published.update(demo_nominations.seed_nominations(users, producers, files, nominated_dossiers, today))
        published.update(seed_part("history", users, today))
    counts = {"users": len(users), "producers": len(producers), "products": len(products),
              "photos": files.photos, "documents": files.documents, "rounds": len(rounds),
              "applications": len(applications)}
    counts.update(scoring)
    counts.update(published)
    for status in ApplicationStatus:
        counts[f"applications_{status}"] = sum(1 for a in applications if a.status == status)
    record_event(actor, "demo.seed", object_type="demo", data=counts)
    return counts

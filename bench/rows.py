"""The benchmarks' rows: N certified products with signed certificates, inserted in bulk, on SQLite or PostgreSQL.

:func:`populate` fills a database made by :func:`bench.rounds.create_database` with one decided
provincial round per province of the demo data and year, twenty years of them (:data:`YEARS`), and per
product a producer (every tenth product a second one of a producer), an accepted entry, its line in the
published decision and a certificate dated in its round's year with a real signed token (snapshot, digest
and token made as :mod:`certificates.operations.issuance` makes them; no PDFs): most of the older
certificates have expired, as in a registry that has run for twenty years. The route, search and
load benchmarks all read these rows; a run builds them once per database.
"""
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import create_engine, event, func, insert, select, text

from bench.rounds import GROUPS, make_certified_round
from certificates.models import Certificate, CertificateCounter, CertificateStatus
from certificates.operations.issuance import add_months, canonical, digest_of, snapshot_for
from certificates.operations.keys import current_signer
from certificates.operations.numbering import format_number
from certificates.registry.index import reindex
from certificates.rules.signing import make_token
from voting.core.clock import today_vn
from voting.core.text import fold
from voting.demo.data import PRODUCERS
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Commune,
    Decision,
    DecisionEntry,
    DecisionTally,
    Producer,
    Product,
    ProductGroup,
    Province,
    Role,
    Round,
    RoundStatus,
)
from voting.models.base import utcnow
from voting.operations.accounts import create_staff_account
from voting.rules.commitments import CURRENT_VERSION
from voting.rules.tally import entry_key, tally_rows

CHUNK = 5_000
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
#: ``registry reindex``: SQL statements per 1,000 rows at most (issue 20; it was about 3,000).
REINDEX_STATEMENTS_TARGET = 25


@dataclass
class Loaded:
    """What :func:`populate` made: how many certificates, in how many rounds, and the tokens of those in force
    today (the verification benchmarks load them)."""

    certificates: int
    rounds: int
    tokens: list = field(repr=False)
    seconds: float = 0.0


#: The years of rounds the rows spread over, as a registry holds them after twenty years (issue 21): a
#: product's certificate is of one of them, most of the older ones expired.
YEARS = 20
#: Every this many products, one belongs to a producer that already has one (a producer with several).
SECOND_PRODUCT_EVERY = 10


def _rounds_per_province(organiser_id, years):
    """One decided provincial round per province of the demo producers and year; ``{(code, year): round id}``."""
    rounds = {}
    this_year = today_vn().year
    for code in sorted({producer[0] for producer in PRODUCERS}):
        province = db.session.scalar(select(Province).where(Province.code == code))
        organiser_id_here = organiser_id
        if code != "19":  # create_database's organiser is Thái Nguyên's
            organiser, _ = create_staff_account(
                None, email=f"organiser{code}@bench.cnnt.vn", full_name="Cán bộ đo hiệu năng",
                role=Role.ORGANISER, jurisdiction_level="tinh", province=province)
            db.session.commit()
            organiser_id_here = organiser.id
        for year in range(this_year - years + 1, this_year + 1):
            rounds[(code, year)] = make_certified_round(organiser_id_here, 1,
                                                        f"Bình chọn đo hiệu năng: {province.name} {year}", year)
    return rounds


def analyze():
    """Planner statistics after a bulk load, and the GIN indexes' pending entries merged, as autovacuum
    would do soon after (PostgreSQL): without statistics the planner takes a table of 100,000 rows for
    an empty one, and a word-prefix search would read the pending list of a freshly reindexed registry."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def insert_rows(table, rows):
    """Insert ``rows`` (dicts) through Core in one executemany; their new ids, in order."""
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.execute(statement, rows).scalars())


def populate(app, organiser_id, rows, years=YEARS):
    """Fill the database with ``rows`` certified products and their certificates, inserted in bulk, spread over
    the rounds of ``years`` years (a product's certificate dated in its round's year)."""
    started = time.perf_counter()
    with app.app_context():
        round_ids = _rounds_per_province(organiser_id, years)
        private_key, key = current_signer(app)
        now = utcnow()
        groups = {group.code: group for group in db.session.scalars(select(ProductGroup))}
        plans = {}
        for (code, year), round_id in round_ids.items():
            round_ = db.session.get(Round, round_id)
            decision = db.session.scalar(select(Decision).where(Decision.round_id == round_id))
            communes = db.session.scalars(select(Commune).where(Commune.province_id == round_.province_id)
                                          .order_by(Commune.code)).all()
            issued_on = decision.decision_on + timedelta(days=20)  # after the complaint window, in the round's year
            # The vote's tally is made again at the end, counting the bulk entries with the set-up's own.
            keys = {a.id: entry_key(a) for a in db.session.scalars(
                select(Application).where(Application.round_id == round_id))}
            plans[(code, year)] = SimpleNamespace(round=round_, decision=decision, communes=communes, keys=keys,
                                          certified={e.application_id: e.score for e in decision.entries},
                                          province=round_.province, authority=round_.authority, issued_on=issued_on,
                                          expires_on=add_months(issued_on, round_.certificate_validity_months),
                                          sequence=0, rank=db.session.scalar(
                                              select(func.count(DecisionEntry.id))
                                              .where(DecisionEntry.decision_id == decision.id)))
        tokens = []
        for start in range(0, rows, CHUNK):
            tokens += _insert_chunk(range(start, min(rows, start + CHUNK)), plans, groups, private_key, key,
                                    now, organiser_id, years, rows)
            db.session.commit()
        for plan in plans.values():
            db.session.execute(insert(CertificateCounter.__table__).values(
                authority_id=plan.authority.id, level=plan.round.jurisdiction_level, year=plan.round.year,
                last_sequence=plan.sequence))
            plan.round.status = RoundStatus.CERTIFYING
            plan.round.status_changed_at = now
            _tally(plan)
        db.session.commit()
        db.session.remove()
    return Loaded(rows, len(round_ids), tokens, time.perf_counter() - started)


def _tally(plan):
    """The decision's tally rows as the vote would have written them for all its entries (all passed), in bulk."""
    plan.decision.tallies = []
    db.session.flush()
    insert_rows(DecisionTally.__table__, [dict(decision_id=plan.decision.id, **row)
                                      for row in tally_rows(plan.keys, set(plan.keys), plan.certified)])


def _producers(made, first):
    """The producers of ``made``'s rows, inserted: every :data:`SECOND_PRODUCT_EVERY` th product is a second one of
    the producer of the row a cycle of the demo producers earlier (same province), when that row is in the chunk."""
    owners = {}
    for position, row in enumerate(made):
        if row.index % SECOND_PRODUCT_EVERY == SECOND_PRODUCT_EVERY - 1 and row.index - len(PRODUCERS) >= first:
            owner = position - len(PRODUCERS)
            owners[position] = owners.get(owner, owner)
            row.producer, row.commune = made[owners[position]].producer, made[owners[position]].commune
    new_ids = iter(insert_rows(Producer.__table__, [row.producer for position, row in enumerate(made)
                                                if position not in owners]))
    ids = []
    for position in range(len(made)):
        ids.append(ids[owners[position]] if position in owners else next(new_ids))
    return ids


def _insert_chunk(indexes, plans, groups, private_key, key, now, organiser_id, years, rows):
    """Producers, products, entries, decision lines and certificates for ``indexes``; their tokens."""
    made = []
    this_year_today = today_vn()
    this_year = this_year_today.year
    for index in indexes:
        province_code, type_code, name, _, address, representative, products = PRODUCERS[index % len(PRODUCERS)]
        kind, product_name = products[(index // len(PRODUCERS)) % len(products)][:2]
        # Year by year, the oldest first, as a registry fills over twenty years: the newest rows (highest ids)
        # are the newest certificates, which the registry's search reads first.
        plan = plans[(province_code, this_year - years + 1 + index * years // rows)]
        commune = plan.communes[index % len(plan.communes)]
        producer_name = f"{name} ({commune.name})"
        made.append(SimpleNamespace(index=index, plan=plan, commune=commune, group=groups[GROUPS.get(kind, "2")],
                                    producer=dict(
                                        name=producer_name, name_folded=fold(producer_name), type_code=type_code,
                                        registration_number=f"48{index:08d}", province_id=plan.province.id,
                                        commune_id=commune.id, address=address, representative=representative,
                                        phone=f"08{index:08d}", email=f"coso{index}@bench.example.vn",
                                        publish_address=index % 2 == 0, consent_recorded_at=now, created_at=now),
                                    product_name=product_name))
    producer_ids = _producers(made, indexes[0])
    product_ids = insert_rows(Product.__table__, [
        dict(producer_id=producer_id, name=row.product_name, name_folded=fold(row.product_name),
             group_code=row.group.code, description="Sản phẩm dùng cho đo hiệu năng.",
             published_at=now if row.index % 3 == 0 else None, created_at=now)
        for row, producer_id in zip(made, producer_ids, strict=True)])
    for row in made:
        row.plan.rank += 1
        row.rank = row.plan.rank
        row.entry_code = f"{row.group.code}.{row.rank:06d}"  # the set-up's own entry is "x.001"
    application_ids = insert_rows(Application.__table__, [
        dict(round_id=row.plan.round.id, product_id=product_id, producer_id=producer_id,
             status=ApplicationStatus.ACCEPTED, entry_code=row.entry_code, submitted_at=now - timedelta(days=95),
             commitments=CURRENT_VERSION, commitments_given_at=now - timedelta(days=95),
             decided_at=now - timedelta(days=89), decided_by_id=organiser_id, created_at=now - timedelta(days=96))
        for row, producer_id, product_id in zip(made, producer_ids, product_ids, strict=True)])
    for row, application_id in zip(made, application_ids, strict=True):
        row.score = Decimal(90) - Decimal(row.rank % 1000) / 100
        row.plan.keys[application_id] = (row.group.code, row.plan.province.id, row.producer["type_code"])
        row.plan.certified[application_id] = row.score
    insert_rows(DecisionEntry.__table__, [
        dict(decision_id=row.plan.decision.id, application_id=application_id, rank=row.rank,
             score=row.score, entry_code=row.entry_code,
             product_name=row.product_name, producer_name=row.producer["name"], province_name=row.plan.province.name,
             group_code=row.group.code, group_name=row.group.name)
        for row, application_id in zip(made, application_ids, strict=True)])
    certificates, tokens = [], []
    for row, application_id in zip(made, application_ids, strict=True):
        plan = row.plan
        producer = SimpleNamespace(name=row.producer["name"], publish_address=row.producer["publish_address"],
                                   address=row.producer["address"], commune=row.commune, province=plan.province)
        application = SimpleNamespace(product=SimpleNamespace(name=row.product_name, group=row.group),
                                      producer=producer, entry_code=row.entry_code)
        snapshot = snapshot_for(plan.round, plan.decision, application)
        plan.sequence += 1
        number = format_number(plan.authority, plan.round.jurisdiction_level, plan.round.year, plan.sequence)
        digest = digest_of(snapshot)
        token = make_token(private_key, key.kid, number, plan.issued_on, plan.expires_on, digest)
        if plan.expires_on >= this_year_today:  # the verification benchmarks load certificates in force
            tokens.append(token)
        certificates.append(dict(
            number=number, authority_id=plan.authority.id, level=plan.round.jurisdiction_level,
            year=plan.round.year, sequence=plan.sequence, round_id=plan.round.id, application_id=application_id,
            decision_id=plan.decision.id, snapshot=canonical(snapshot), digest=digest, issued_on=plan.issued_on,
            expires_on=plan.expires_on, status=CertificateStatus.VALID, reason_category="", reason="",
            signing_key_id=key.id, token=token, issued_by_id=organiser_id, created_at=now))
    insert_rows(Certificate.__table__, certificates)
    return tokens


def postgres_database():
    """A fresh database ``cnnt_bench_<pid>`` on the local PostgreSQL; its URL and a function dropping it."""
    name = f"cnnt_bench_{os.getpid()}"
    admin = create_engine(POSTGRES.format(name="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return POSTGRES.format(name=name), drop


@dataclass
class Indexed:
    """What ``registry reindex`` did on the rows: entries made, statements issued, seconds taken."""

    entries: int
    statements: int
    seconds: float

    @property
    def statements_per_thousand(self):
        return 1000 * self.statements / max(1, self.entries)

    @property
    def passed(self):
        return self.statements_per_thousand <= REINDEX_STATEMENTS_TARGET


def index_registry(app):
    """Put the rows in the registry's search table with ``registry reindex``, counting its SQL statements."""
    with app.app_context():
        statements = []
        engine = db.engine

        def count(*_):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        try:
            entries = reindex()
            db.session.commit()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        seconds = time.perf_counter() - started
        analyze()
        db.session.remove()
    return Indexed(entries, len(statements), seconds)


def indexed_line(database, indexed):
    verdict = "PASS" if indexed.passed else "FAIL"
    return (f"registry reindex, {database}: {indexed.entries:,} entries, {indexed.statements:,} SQL statements "
            f"({indexed.statements_per_thousand:.1f} per 1,000 rows; target <= {REINDEX_STATEMENTS_TARGET}) "
            f"{verdict}, {indexed.seconds:.0f} s")

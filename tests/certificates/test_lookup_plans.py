"""Scanning a QR code reads its certificate through an index, on SQLite and PostgreSQL (issue 20).

The verification looks a certificate up by the number its token signs. When numbers became unique only
per authority and year (migration 0019d) the unique index on the number went, and each verification
read the whole certificate table unnoticed (18 ms a request at 20,000 certificates, found by make bench).
The database's own plan for the query is asserted here, so a lost index fails at once.
"""
from certificates.rules.verification import FACTS_QUERY
from voting.extensions import db


def _plan(statement):
    """The database's plan for ``statement`` (values inlined), the planner barred from table scans
    where it can be (PostgreSQL would scan a table of a few rows whatever its indexes)."""
    sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            return "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        connection.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))
        connection.rollback()
        return plan


def test_the_verification_query_reads_the_certificate_by_an_index(app):
    with app.app_context():
        plan = _plan(FACTS_QUERY.params(number="15/GCN-UBND", digest_prefix="0123456789abcdef"))
        sqlite = db.engine.dialect.name == "sqlite"
    lines = [line.strip() for line in plan.splitlines()]
    assert not [line for line in lines if line.startswith(("SCAN certificate", "Seq Scan on certificate"))], plan
    # The number and the digest's range both in the index's condition: a seek, not a read of each
    # certificate of that number (a number repeats once per authority and year).
    if sqlite:
        assert any(line.startswith("SEARCH certificate USING INDEX ix_certificate_number_digest (number=? AND "
                                   "digest>? AND digest<?)") for line in lines), plan
    else:  # an index whose condition is the number and the digest (not a whole index read in place of the table)
        assert any(line.startswith("Index Cond: (((number)::text =") and "digest" in line for line in lines), plan

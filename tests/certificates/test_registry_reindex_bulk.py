"""Rebuilding the registry costs a few statements per 500 rows, not one or more per row (issue 20).

The rows are the benchmark's (:func:`bench.rows.populate`: certified products with their
producers and signed certificates, inserted in bulk); every statement the database receives while
``registry reindex`` and an on-commit refresh run is counted by a SQLAlchemy event listener.
"""

from sqlalchemy import func, select

from bench.rounds import ORGANISER_EMAIL, PROVINCE_CODE
from bench.rows import populate
from certificates.models import Certificate, RegistryCertificate, RegistryEntry
from certificates.registry.index import refresh, reindex
from tests.helpers import counted_queries
from voting.extensions import db
from voting.models import Product, Province, Role
from voting.operations.accounts import create_staff_account

ROWS = 200
#: Issue 20's target is 25 statements per 1,000 rows; per-row statements would be 200 or more here.
BOUND = 25



def _rows(app):
    with app.app_context():
        province = db.session.scalar(select(Province).where(Province.code == PROVINCE_CODE))
        organiser, _ = create_staff_account(None, email=ORGANISER_EMAIL, full_name="Cán bộ đo hiệu năng",
                                            role=Role.ORGANISER, jurisdiction_level="tinh", province=province)
        db.session.commit()
        organiser_id = organiser.id
    populate(app, organiser_id, ROWS)


def test_reindex_and_refresh_issue_a_bounded_number_of_statements(app, signer):
    _rows(app)
    with app.app_context():
        certificates = db.session.scalar(select(func.count(Certificate.id)))
        with counted_queries(db.engine) as statements:
            count = reindex()
            db.session.commit()
        assert count == db.session.scalar(select(func.count(RegistryEntry.id))) >= ROWS
        assert db.session.scalar(select(func.count(RegistryCertificate.id))) == certificates
        assert len(statements) <= BOUND, "\n".join(statements)

        product_ids = db.session.scalars(select(Product.id)).all()
        with counted_queries(db.engine) as statements:
            refresh(product_ids)
            db.session.commit()
        assert len(statements) <= BOUND, "\n".join(statements)
        assert db.session.scalar(select(func.count(RegistryEntry.id))) == count


def test_an_edit_refreshes_its_row_on_commit_in_a_few_statements(app, signer):
    _rows(app)
    with app.app_context():
        reindex()
        db.session.commit()
        products = db.session.scalars(select(Product)).all()
        with counted_queries(db.engine) as statements:
            for product in products:
                product.name = f"{product.name} mới"
            db.session.commit()
        # The products' own updates are one statement each; the registry adds a few for them all.
        assert len(statements) <= len(products) + BOUND, "\n".join(statements[len(products):])
        names = db.session.scalars(select(RegistryEntry.current_name)).all()
        assert len(names) >= ROWS and all(name.endswith(" mới") for name in names)

"""Row locks that work on both databases."""
from sqlalchemy import select, update

from voting.extensions import db


def lock_row(model, row_id):
    """Hold a write lock on one row until the transaction ends, and return the row.

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite has no row locks; a no-op
    UPDATE takes its single database write lock, which serialises writers
    just the same.

    The row is read afresh once the lock is held (``populate_existing``), so that a check made
    after taking the lock sees what a writer committed while this one waited.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.execute(
            select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()
    db.session.execute(update(model).where(model.id == row_id).values(id=model.id))
    return db.session.execute(
        select(model).where(model.id == row_id).execution_options(populate_existing=True)).scalar_one()

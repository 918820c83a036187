"""A decision's list keeps the names it was voted with

Revision ID: 0018_decision_entry_names
Revises: 0017_audit_no_truncate
Create Date: 2026-12-12 10:00:00

``decision_entry`` gains the entry code, product, producer, province and group (code and name)
as the council's vote listed them; the public results, the decision's list, the minutes and the
results workbooks print these instead of the live rows, which a producer may change after the
decision. The minutes' struck entries (and the proposed list of a vote that failed) come from
``decision.snapshot``, whose rows gain the same names.

History cannot be recovered: existing rows get the names as they stand at the upgrade, the names
these documents showed until now. The server default only lets the columns be added to existing
rows; it is dropped afterwards (the application always sets them).
"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_decision_entry_names'
down_revision = '0017_audit_no_truncate'
branch_labels = None
depends_on = None

BATCH = 500
COLUMNS = (('entry_code', 20), ('product_name', 300), ('producer_name', 300), ('province_name', 100),
           ('group_code', 10), ('group_name', 200))
# Each column's live source, from the entry's application (a frozen copy of voting.rules.entry_names.names_now).
SOURCES = {
    'entry_code': "SELECT a.entry_code FROM application a WHERE a.id = {app}",
    'product_name': "SELECT p.name FROM application a JOIN product p ON p.id = a.product_id WHERE a.id = {app}",
    'producer_name': "SELECT r.name FROM application a JOIN producer r ON r.id = a.producer_id WHERE a.id = {app}",
    'province_name': "SELECT v.name FROM application a JOIN producer r ON r.id = a.producer_id "
                     "JOIN province v ON v.id = r.province_id WHERE a.id = {app}",
    'group_code': "SELECT p.group_code FROM application a JOIN product p ON p.id = a.product_id WHERE a.id = {app}",
    'group_name': "SELECT g.name FROM application a JOIN product p ON p.id = a.product_id "
                  "JOIN product_group g ON g.code = p.group_code WHERE a.id = {app}",
}


def _names_now(bind, application_ids):
    """``{application id: {column: live value}}`` for these applications."""
    found = {}
    for application_id in application_ids:
        found[application_id] = {
            column: bind.execute(sa.text(f"SELECT COALESCE(({SOURCES[column].format(app=':app')}), '')"),
                                 {'app': application_id}).scalar() or ''
            for column, _length in COLUMNS}
    return found


def _fill_snapshots(bind):
    """Add the names to the rows of every vote's snapshot that lacks them."""
    decision = sa.table('decision', sa.column('id', sa.Integer), sa.column('snapshot', sa.Text))
    update = decision.update().where(decision.c.id == sa.bindparam('row_id')).values(
        snapshot=sa.bindparam('filled'))
    last = 0
    while True:
        rows = bind.execute(sa.select(decision.c.id, decision.c.snapshot).where(decision.c.id > last)
                            .order_by(decision.c.id).limit(BATCH)).all()
        if not rows:
            return
        changed = []
        for row_id, text in rows:
            snapshot = json.loads(text or '{}')
            listed = [r for key in ('proposed', 'struck') for r in snapshot.get(key, ())
                      if 'application_id' in r and 'product_name' not in r]
            if not listed:
                continue
            names = _names_now(bind, {r['application_id'] for r in listed})
            for r in listed:
                r.update(names[r['application_id']])
            changed.append({'row_id': row_id, 'filled': json.dumps(snapshot, ensure_ascii=False)})
        if changed:
            bind.execute(update, changed)
        last = rows[-1][0]


def upgrade():
    for column, length in COLUMNS:
        op.add_column('decision_entry', sa.Column(column, sa.String(length=length), nullable=False,
                                                  server_default=''))
    for column, _length in COLUMNS:
        source = SOURCES[column].format(app='decision_entry.application_id')
        op.execute(f"UPDATE decision_entry SET {column} = COALESCE(({source}), '')")
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        for column, length in COLUMNS:
            batch_op.alter_column(column, existing_type=sa.String(length=length), existing_nullable=False,
                                  server_default=None)
    _fill_snapshots(op.get_bind())


def downgrade():
    # The names added to the snapshots stay: the minutes of this revision's code ignore them.
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        for column, _length in reversed(COLUMNS):
            batch_op.drop_column(column)

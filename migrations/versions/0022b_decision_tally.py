"""A vote's counts per product group, producer's province and producer type, kept with the vote

Revision ID: 0022b_decision_tally
Revises: 0022a_registry_tally
Create Date: 2026-12-06 17:45:00

The summary report's rounds' results (issue 21) joined every accepted entry of every decided round with
its round, product, producer and decision line: 226 times a ``count(*)`` of the certificates on SQLite at
100,000 entries (make bench, 06/12/2026). ``decision_tally`` holds, per vote, a row per (group, province,
producer type) with the entries, passing, certified entries and the sum of their scores, written by the
vote itself (``voting.rules.tally``); the report adds those up.

Existing votes are tallied here in one grouped statement: the round's accepted entries, by their product's
group and their producer's province and type as they stand now (the vote did not keep them), the decision's
lines among them and their scores. Whether an entry passed is known only from the sheets as they were at the
vote, which SQL cannot recompute: ``passed`` is left NULL ("not recorded") on these rows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022b_decision_tally'
down_revision = '0022a_registry_tally'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO decision_tally (decision_id, group_code, province_id, producer_type, entries, passed, certified,
                            score_sum)
SELECT decision.id, product.group_code, producer.province_id, producer.type_code, count(application.id), NULL,
       count(decision_entry.id), coalesce(sum(decision_entry.score), 0)
FROM decision
JOIN application ON application.round_id = decision.round_id AND application.status = 'accepted'
JOIN product ON product.id = application.product_id
JOIN producer ON producer.id = application.producer_id
LEFT JOIN decision_entry ON decision_entry.decision_id = decision.id
                        AND decision_entry.application_id = application.id
GROUP BY decision.id, product.group_code, producer.province_id, producer.type_code
"""


def upgrade():
    op.create_table('decision_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('group_code', sa.String(length=10), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('producer_type', sa.String(length=10), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Integer(), nullable=True),
    sa.Column('certified', sa.Integer(), nullable=False),
    sa.Column('score_sum', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.CheckConstraint('entries >= 1', name=op.f('ck_decision_tally_entries_positive')),
    sa.CheckConstraint('certified >= 0 AND certified <= entries', name=op.f('ck_decision_tally_certified_of_entries')),
    sa.CheckConstraint('passed IS NULL OR (passed >= certified AND passed <= entries)',
                       name=op.f('ck_decision_tally_passed_of_entries')),
    sa.CheckConstraint('score_sum >= 0 AND (certified > 0 OR score_sum = 0)',
                       name=op.f('ck_decision_tally_score_sum_of_certified')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_tally_decision_id_decision'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_code'], ['product_group.code'],
                            name=op.f('fk_decision_tally_group_code_product_group')),
    sa.ForeignKeyConstraint(['producer_type'], ['producer_type.code'],
                            name=op.f('fk_decision_tally_producer_type_producer_type')),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_decision_tally_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_tally')),
    sa.UniqueConstraint('decision_id', 'group_code', 'province_id', 'producer_type',
                        name=op.f('uq_decision_tally_key'))
    )
    with op.batch_alter_table('decision_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_tally_decision_id'), ['decision_id'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('decision_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_tally_decision_id'))
    op.drop_table('decision_tally')

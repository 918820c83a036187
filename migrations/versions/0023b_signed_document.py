"""A round's official documents, digitally signed (PAdES)

Revision ID: 0023b_signed_document
Revises: 0023a_certificate_pdf_signature
Create Date: 2026-12-06 21:00:00

Issue 22: the recognition decision with its annex, the minutes and the decision founding the council, signed with
the issuing authority's key; the latest row of a document is its official copy.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023b_signed_document'
down_revision = '0023a_certificate_pdf_signature'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'signed_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('origin', sa.String(length=10), nullable=False),
        sa.Column('storage_name', sa.String(length=120), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('signed_by', sa.String(length=300), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('decision', 'minutes', 'founding')", name=op.f('ck_signed_document_kind_known')),
        sa.CheckConstraint("origin IN ('server', 'upload')", name=op.f('ck_signed_document_origin_known')),
        sa.CheckConstraint("(kind = 'founding') = (decision_id IS NULL)",
                           name=op.f('ck_signed_document_decision_unless_founding')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_signed_document_created_by_id_user')),
        sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_signed_document_decision_id_decision'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_signed_document_round_id_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_document')),
    )
    op.create_index('ix_signed_document_of', 'signed_document', ['round_id', 'kind', 'decision_id', 'id'],
                    unique=False)
    op.create_index('ix_signed_document_sha256', 'signed_document', ['sha256'], unique=False)


def downgrade():
    op.drop_index('ix_signed_document_sha256', table_name='signed_document')
    op.drop_index('ix_signed_document_of', table_name='signed_document')
    op.drop_table('signed_document')

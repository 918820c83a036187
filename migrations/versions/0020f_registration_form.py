"""The registration form: the producer's commitments, the signed scan, and the round's rule on it

Revision ID: 0020f_registration_form
Revises: 0020e_decision_legal_bases
Create Date: 2026-12-05 04:00:00

``application.commitments`` records what the producer ticked on the registration form (phiếu đăng ký):
the version of the wording ("tt26-2014-v1"), dated by ``commitments_given_at``; or a marker where
nobody was asked: "before_form" (the application was submitted before the form existed: unknown, and
the organiser is shown so) or "nominated" (an entry a lower round put forward). A submitted application
always has one of them (CHECK ``commitments_when_submitted``).

Existing rows: an entry some nomination names is "nominated"; any other application that was ever
submitted is "before_form" (no tick is made up); drafts stay NULL and are asked when submitted.

``signed_registration_form``: the scan of the printed and signed form, one per application.

``round.require_signed_registration_form``: whether an application is accepted only with the signed
scan. Existing rounds ran without the form, so they get false; new rounds default to true (the model's
default; the server default only fills existing rows and is dropped).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020f_registration_form'
down_revision = '0020e_decision_legal_bases'
branch_labels = None
depends_on = None

VALUES = "'tt26-2014-v1', 'before_form', 'nominated'"


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_signed_registration_form', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.alter_column('require_signed_registration_form', server_default=None)

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commitments', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('commitments_given_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE application SET commitments = 'nominated' "
               "WHERE id IN (SELECT target_application_id FROM nomination)")
    op.execute("UPDATE application SET commitments = 'before_form' "
               "WHERE commitments IS NULL AND (status <> 'draft' OR submitted_at IS NOT NULL)")
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_application_commitments_known'),
                                         f"commitments IS NULL OR commitments IN ({VALUES})")
        batch_op.create_check_constraint(op.f('ck_application_commitments_dated'),
                                         "(commitments_given_at IS NOT NULL) = "
                                         "(COALESCE(commitments, '') IN ('tt26-2014-v1'))")
        batch_op.create_check_constraint(op.f('ck_application_commitments_when_submitted'),
                                         "status IN ('draft', 'withdrawn') OR commitments IS NOT NULL")

    op.create_table('signed_registration_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('storage_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mime_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')",
                       name=op.f('ck_signed_registration_form_mime_type_known')),
    sa.CheckConstraint('size > 0', name=op.f('ck_signed_registration_form_size_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                            name=op.f('fk_signed_registration_form_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'],
                            name=op.f('fk_signed_registration_form_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_registration_form')),
    sa.UniqueConstraint('application_id', name=op.f('uq_signed_registration_form_application_id')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_signed_registration_form_storage_name'))
    )


def downgrade():
    # The scans' files stay in storage; their rows (and the ticks) cannot be expressed before this revision.
    op.drop_table('signed_registration_form')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_application_commitments_when_submitted'), type_='check')
        batch_op.drop_constraint(op.f('ck_application_commitments_dated'), type_='check')
        batch_op.drop_constraint(op.f('ck_application_commitments_known'), type_='check')
        batch_op.drop_column('commitments_given_at')
        batch_op.drop_column('commitments')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('require_signed_registration_form')

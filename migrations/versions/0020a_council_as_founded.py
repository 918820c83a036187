"""The council as the rules found it: a founding decision, members as people, a jury with its head

Revision ID: 0020a_council_as_founded
Revises: 0019e_step_order
Create Date: 2026-12-05 04:00:00

- ``council``: the round's founding decision (number, date, signer block, scan) and the number and date of
  the document by which the council appoints its jury and support team.
- ``council_member``: a person named in the decision (name, position, agency); ``user_id`` becomes
  optional (most members never sign in), and the seat "standing member" (ủy viên thường trực) is added.
  Existing members keep their account link and take their name and title from it.
- ``juror``: the Trưởng Ban Giám khảo (``is_head``, at most one per round) and the juror's position and
  agency as the appointment prints them (existing jurors take their account's title).
- ``support_member``: the tổ giúp việc.
- ``decision``: the minutes' number and the meeting's hours; ``meeting_attendance``: each member present or
  absent. Votes recorded before keep their typed-in count of members present and no attendance rows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020a_council_as_founded'
down_revision = '0019e_step_order'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('chair', 'vice_chair', 'secretary', 'member')"
NEW_ROLES = "role IN ('chair', 'vice_chair', 'standing_member', 'member', 'secretary')"
SIGNER_COLUMNS = (('signer_capacity', 10, 'none'), ('signer_body', 200, ''), ('signer_head_title', 200, ''),
                  ('signer_title', 200, ''), ('signer_name', 200, ''))
SIGNER_CHECKS = (
    ('signer_capacity_known', "signer_capacity IN ('none', 'tm', 'kt', 'tl', 'tuq', 'q')"),
    ('signer_tm_names_body', "signer_capacity <> 'tm' OR signer_body <> ''"),
    ('signer_names_head', "signer_capacity NOT IN ('kt', 'tl', 'tuq', 'q') OR signer_head_title <> ''"),
    ('signer_body_with_tm', "signer_capacity <> 'none' OR signer_body = ''"),
)


def _person_columns():
    return [sa.Column('full_name', sa.String(length=200), nullable=False),
            sa.Column('position', sa.String(length=200), nullable=False),
            sa.Column('agency', sa.String(length=200), nullable=False)]


def upgrade():
    op.create_table(
        'council',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('founding_number', sa.String(length=60), nullable=True),
        sa.Column('founded_on', sa.Date(), nullable=True),
        sa.Column('founding_scan_storage_name', sa.String(length=80), nullable=True),
        sa.Column('jury_document_number', sa.String(length=60), nullable=True),
        sa.Column('jury_appointed_on', sa.Date(), nullable=True),
        *[sa.Column(name, sa.String(length=length), nullable=False) for name, length, _ in SIGNER_COLUMNS],
        *[sa.CheckConstraint(condition, name=op.f(f'ck_council_{name}')) for name, condition in SIGNER_CHECKS],
        sa.CheckConstraint('(founding_number IS NULL) = (founded_on IS NULL)',
                           name=op.f('ck_council_founding_number_with_date')),
        sa.CheckConstraint('(jury_document_number IS NULL) = (jury_appointed_on IS NULL)',
                           name=op.f('ck_council_jury_number_with_date')),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_council_round_id_round'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council')),
        sa.UniqueConstraint('round_id', name=op.f('uq_council_round_id')),
    )
    op.create_table(
        'support_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        *_person_columns(),
        sa.Column('is_lead', sa.Boolean(), nullable=False),
        sa.CheckConstraint('length(full_name) > 0', name=op.f('ck_support_member_named')),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_support_member_round_id_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_support_member_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_member')),
        sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_support_member_round_id_user_id')),
    )
    with op.batch_alter_table('support_member', schema=None) as batch_op:
        batch_op.create_index('ix_support_member_one_lead', ['round_id'], unique=True,
                              sqlite_where=sa.text('is_lead'), postgresql_where=sa.text('is_lead'))
        batch_op.create_index(batch_op.f('ix_support_member_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_member_user_id'), ['user_id'], unique=False)

    # Members become people: their names and titles come from the accounts they were seated with.
    with op.batch_alter_table('council_member', schema=None) as batch_op:
        for column in _person_columns():
            batch_op.add_column(sa.Column(column.name, column.type, nullable=False, server_default=''))
    op.execute('UPDATE council_member SET full_name = (SELECT u.full_name FROM "user" u WHERE u.id = council_member.user_id), '
               'position = (SELECT u.title FROM "user" u WHERE u.id = council_member.user_id)')
    # An account with no name still seats a named member: its e-mail stands in.
    op.execute("UPDATE council_member SET full_name = (SELECT u.email FROM \"user\" u WHERE u.id = council_member.user_id) "
               "WHERE full_name = ''")
    with op.batch_alter_table('council_member', schema=None) as batch_op:
        for column in _person_columns():
            batch_op.alter_column(column.name, existing_type=column.type, existing_nullable=False, server_default=None)
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(op.f('ck_council_member_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_council_member_role_known'), NEW_ROLES)
        batch_op.create_check_constraint(op.f('ck_council_member_named'), 'length(full_name) > 0')
        batch_op.create_index('ix_council_member_one_chair', ['round_id'], unique=True,
                              sqlite_where=sa.text("role = 'chair'"), postgresql_where=sa.text("role = 'chair'"))

    with op.batch_alter_table('juror', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_head', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('position', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('agency', sa.String(length=200), nullable=False, server_default=''))
    op.execute('UPDATE juror SET position = (SELECT u.title FROM "user" u WHERE u.id = juror.user_id)')
    with op.batch_alter_table('juror', schema=None) as batch_op:
        batch_op.alter_column('is_head', existing_type=sa.Boolean(), existing_nullable=False, server_default=None)
        batch_op.alter_column('position', existing_type=sa.String(length=200), existing_nullable=False,
                              server_default=None)
        batch_op.alter_column('agency', existing_type=sa.String(length=200), existing_nullable=False,
                              server_default=None)
        batch_op.create_index('ix_juror_one_head', ['round_id'], unique=True,
                              sqlite_where=sa.text('is_head'), postgresql_where=sa.text('is_head'))

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('meeting_starts_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('meeting_ends_at', sa.Time(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_decision_meeting_ends_after_start'),
            'meeting_ends_at IS NULL OR meeting_starts_at IS NULL OR meeting_ends_at >= meeting_starts_at')
    op.create_table(
        'meeting_attendance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('present', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_meeting_attendance_decision_id_decision'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['council_member.id'],
                                name=op.f('fk_meeting_attendance_member_id_council_member')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendance')),
        sa.UniqueConstraint('decision_id', 'member_id', name=op.f('uq_meeting_attendance_decision_id_member_id')),
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendance_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendance_member_id'), ['member_id'], unique=False)


def downgrade():
    # Members without an account and the new seat cannot be expressed before this revision: they are dropped,
    # with the attendance that names them.
    op.drop_table('meeting_attendance')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_meeting_ends_after_start'), type_='check')
        batch_op.drop_column('meeting_ends_at')
        batch_op.drop_column('meeting_starts_at')
        batch_op.drop_column('minutes_number')
    with op.batch_alter_table('juror', schema=None) as batch_op:
        batch_op.drop_index('ix_juror_one_head', sqlite_where=sa.text('is_head'), postgresql_where=sa.text('is_head'))
        batch_op.drop_column('agency')
        batch_op.drop_column('position')
        batch_op.drop_column('is_head')
    op.execute("DELETE FROM council_member WHERE user_id IS NULL")
    op.execute("UPDATE council_member SET role = 'member' WHERE role = 'standing_member'")
    with op.batch_alter_table('council_member', schema=None) as batch_op:
        batch_op.drop_index('ix_council_member_one_chair', sqlite_where=sa.text("role = 'chair'"),
                            postgresql_where=sa.text("role = 'chair'"))
        batch_op.drop_constraint(op.f('ck_council_member_named'), type_='check')
        batch_op.drop_constraint(op.f('ck_council_member_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_council_member_role_known'), OLD_ROLES)
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('agency')
        batch_op.drop_column('position')
        batch_op.drop_column('full_name')
    op.drop_table('support_member')
    op.drop_table('council')

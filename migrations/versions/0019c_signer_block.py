"""The signer of rounds and decisions as a block: capacity, body, head's title, own title, name

Revision ID: 0019c_signer_block
Revises: 0019b_application_rural_decision
Create Date: 2026-12-05 01:00:00

Until now the signer was a name and one box of "title" that had to hold the whole capacity
("KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH", or "PHÓ CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"). ``round`` and ``decision``
gain ``signer_capacity`` (none / tm / kt / tl / tuq / q), ``signer_body`` (the collective body of
"TM. ...") and ``signer_head_title`` (the head of "KT. ..."); ``signer_title`` becomes the signer's
own title. An old title whose lines start with "TM." and then "KT.", "TL.", "TUQ." or "Q." is split
into these (:func:`split_title`); any other title stays the signer's own title, capacity none.

Certificates already issued are untouched: their snapshot (signed, bound into the token) keeps the
signer lines it was issued with, and the certificate prints those.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019c_signer_block'
down_revision = '0019b_application_rural_decision'
branch_labels = None
depends_on = None

TABLES = ('round', 'decision')
COLUMNS = (('signer_capacity', 10, 'none'), ('signer_body', 200, ''), ('signer_head_title', 200, ''))
CHECKS = (
    ('signer_capacity_known', "signer_capacity IN ('none', 'tm', 'kt', 'tl', 'tuq', 'q')"),
    ('signer_tm_names_body', "signer_capacity <> 'tm' OR signer_body <> ''"),
    ('signer_names_head', "signer_capacity NOT IN ('kt', 'tl', 'tuq', 'q') OR signer_head_title <> ''"),
    ('signer_body_with_tm', "signer_capacity <> 'none' OR signer_body = ''"),
)
PREFIXED = re.compile(r'^(TM|KT|TL|TUQ|Q)\.\s*(\S.*)$', re.IGNORECASE)


def split_title(text):
    """``(capacity, body, head_title, title)`` from an old title, one level per line (or " / ").

    Only "TM. <body>" first and/or "KT./TL./TUQ./Q. <head>" next are recognised; the rest is the
    signer's own title. Anything else (including a title with nothing after its prefix, or a Q.
    followed by more lines, which the block does not print) is kept whole, as it was, as the own title.
    """
    whole = ('none', '', '', text)
    lines = [line.strip() for line in re.split(r'\n|\s/\s', text or '') if line.strip()]
    matches = [PREFIXED.match(line) for line in lines]
    body = head = ''
    capacity = 'none'
    if matches and matches[0] and matches[0].group(1).upper() == 'TM':
        capacity, body = 'tm', matches[0].group(2).strip()
        lines, matches = lines[1:], matches[1:]
    if matches and matches[0] and matches[0].group(1).upper() != 'TM':
        capacity, head = matches[0].group(1).lower(), matches[0].group(2).strip()
        lines, matches = lines[1:], matches[1:]
    if capacity == 'none' or any(matches) or (capacity == 'q' and lines):
        return whole
    return capacity, body, head, ' '.join(lines)


def _split_rows(bind, table_name):
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('signer_title', sa.String),
                     sa.column('signer_capacity', sa.String), sa.column('signer_body', sa.String),
                     sa.column('signer_head_title', sa.String))
    rows = bind.execute(sa.select(table.c.id, table.c.signer_title).where(table.c.signer_title != '')).all()
    changed = []
    for row_id, title in rows:
        capacity, body, head, own = split_title(title)
        if capacity != 'none':
            changed.append({'row_id': row_id, 'capacity': capacity, 'body': body[:200], 'head': head[:200],
                            'own': own[:200]})
    if changed:
        bind.execute(table.update().where(table.c.id == sa.bindparam('row_id')).values(
            signer_capacity=sa.bindparam('capacity'), signer_body=sa.bindparam('body'),
            signer_head_title=sa.bindparam('head'), signer_title=sa.bindparam('own')), changed)


def upgrade():
    for table in TABLES:
        for column, length, default in COLUMNS:
            op.add_column(table, sa.Column(column, sa.String(length=length), nullable=False, server_default=default))
        _split_rows(op.get_bind(), table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length, _default in COLUMNS:
                batch_op.alter_column(column, existing_type=sa.String(length=length), existing_nullable=False,
                                      server_default=None)
            for name, condition in CHECKS:
                batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), condition)


def _join_rows(bind, table_name):
    """Put the capacity lines back into the one title box, as the old code printed it."""
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('signer_title', sa.String),
                     sa.column('signer_capacity', sa.String), sa.column('signer_body', sa.String),
                     sa.column('signer_head_title', sa.String))
    prefixes = {'kt': 'KT.', 'tl': 'TL.', 'tuq': 'TUQ.', 'q': 'Q.'}
    rows = bind.execute(sa.select(table.c.id, table.c.signer_capacity, table.c.signer_body,
                                  table.c.signer_head_title, table.c.signer_title)
                        .where(table.c.signer_capacity != 'none')).all()
    changed = []
    for row_id, capacity, body, head, own in rows:
        lines = [f'TM. {body}' if body else '', f'{prefixes[capacity]} {head}' if capacity in prefixes else '',
                 '' if capacity == 'q' else own]
        changed.append({'row_id': row_id, 'joined': '\n'.join(line for line in lines if line)[:200]})
    if changed:
        bind.execute(table.update().where(table.c.id == sa.bindparam('row_id')).values(
            signer_title=sa.bindparam('joined')), changed)


def downgrade():
    for table in reversed(TABLES):
        _join_rows(op.get_bind(), table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _condition in reversed(CHECKS):
                batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            for column, _length, _default in reversed(COLUMNS):
                batch_op.drop_column(column)

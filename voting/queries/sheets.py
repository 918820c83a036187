"""The SQL the work queues share: who may score which entry, and the sheets still to come, grouped."""
from sqlalchemy import String, and_, cast, exists, func, literal, null, or_, select

from voting.models import (
    Application,
    ApplicationStatus,
    Conflict,
    JurorGroup,
    Juror,
    Product,
    ScoreSheet,
    SheetStatus,
    User,
)


def may_score(juror, application):
    """The juror may score the entry: assigned to its group, and no active conflict with its producer."""
    # The entry's columns may come from a query two levels up (entries short of jurors): only the inner table
    # of each EXISTS is its own, everything else correlates outwards.
    in_group = or_(juror.all_groups.is_(True), select(JurorGroup.id).where(
        JurorGroup.juror_id == juror.id, JurorGroup.group_code == Product.group_code)
        .correlate_except(JurorGroup).exists())
    conflicted = select(Conflict.id).where(
        Conflict.round_id == juror.round_id, Conflict.juror_user_id == juror.user_id,
        Conflict.producer_id == application.producer_id, Conflict.active.is_(True)).correlate_except(Conflict).exists()
    return and_(in_group, ~conflicted)


def count_row(kind, round_column, count, label=None):
    """The columns every part of a work queue's UNION ALL shares: kind, round, a text label, a count."""
    return (literal(kind).label("kind"), round_column.label("round_id"),
            (label if label is not None else cast(null(), String)).label("label"), count.label("n"))


def sheets_missing(round_ids, stage=1, entries=None, user_id=None):
    """Sheets not submitted at ``stage``, per round and juror: every entry the juror may score without one
    (of ``entries`` only, when given: the second stage scores the entries that went on; of one juror, given
    ``user_id``)."""
    name = func.coalesce(func.nullif(User.full_name, ""), User.email)
    submitted = exists().where(ScoreSheet.application_id == Application.id, ScoreSheet.juror_user_id == Juror.user_id,
                               ScoreSheet.stage == stage, ScoreSheet.status == SheetStatus.SUBMITTED)
    query = (select(*count_row("sheets", Juror.round_id, func.count(Application.id), name))
             .join(User, User.id == Juror.user_id)
             .join(Application, and_(Application.round_id == Juror.round_id,
                                     Application.status == ApplicationStatus.ACCEPTED))
             .join(Product, Product.id == Application.product_id)
             .where(Juror.round_id.in_(round_ids), may_score(Juror, Application), ~submitted)
             .group_by(Juror.round_id, Juror.user_id, name))
    if entries is not None:
        query = query.where(Application.id.in_(entries))
    return query if user_id is None else query.where(Juror.user_id == user_id)

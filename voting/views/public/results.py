"""Public results: the certified list of every published decision, for anyone.

Only what the decision itself makes public: product, producer, its address to the commune
(:mod:`voting.rules.addresses`: the street only where the producer consented to publish it; the
province alone on lists voted before addresses were listed), group, score and prize, named as the
decision listed them (a producer's later renaming or move does not change a published list).
Dossiers, other entries' scores and jurors' names never appear here.
"""
from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.core.access import public
from voting.extensions import db
from voting.models import Decision, DecisionEntry, Round
from voting.rules.results import latest_decision


@public
def results_index():
    published = db.session.scalars(
        select(Decision).where(Decision.published_at.is_not(None))
        .options(selectinload(Decision.round).selectinload(Round.authority))
        .order_by(Decision.published_at.desc())).all()
    latest = {}
    for decision in published:  # newest first: keep each round's latest published decision
        latest.setdefault(decision.round_id, decision)
    return render_template("public/results_index.html", decisions=list(latest.values()))


@public
def results_round(round_id):
    decision = latest_decision(round_id, published_only=True)
    if decision is None:
        abort(404)
    # The names as the decision listed them, not the live rows (voting.rules.entry_names).
    entries = db.session.scalars(
        select(DecisionEntry).where(DecisionEntry.decision_id == decision.id).order_by(DecisionEntry.rank)).all()
    return render_template("public/results_round.html", round=decision.round, decision=decision, entries=entries)

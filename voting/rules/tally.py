"""A vote's counts per product group, producer's province and producer type (:class:`~voting.models.DecisionTally`).

The council's vote writes them (:func:`vote_tally`) from the results it voted on, so that the summary report
reads a few rows per round instead of every entry, and so that "passed" (a final score at or above the pass
mark), which only the sheets as they stood at the vote can tell, is kept per group, province and type. Like the
names a decision's list keeps (:mod:`voting.rules.entry_names`), the group, province and type are those of the
product and producer at the vote.
"""
from decimal import Decimal


def entry_key(application):
    """``(group code, province id, producer type)`` of an entry: its product's group, its producer's province
    and type, as they stand now."""
    return (application.product.group_code, application.producer.province_id, application.producer.type_code)


def tally_rows(keys, passed, certified):
    """The tally rows of a vote, as dicts of :class:`~voting.models.DecisionTally`'s columns (but the decision).

    :param keys: ``{application id: key}`` (:func:`entry_key`) of the round's accepted entries.
    :param passed: the ids of the entries that passed.
    :param certified: ``{application id: score decided}`` of the entries on the decision's list.
    """
    totals = {}
    for application_id, key in keys.items():
        total = totals.setdefault(key, {"entries": 0, "passed": 0, "certified": 0, "score_sum": Decimal(0)})
        total["entries"] += 1
        total["passed"] += application_id in passed
        if application_id in certified:
            total["certified"] += 1
            total["score_sum"] += certified[application_id]
    return [{"group_code": group_code, "province_id": province_id, "producer_type": producer_type, **total}
            for (group_code, province_id, producer_type), total in sorted(totals.items())]


def vote_tally(results, decision_entries):
    """:func:`tally_rows` of a vote on ``results`` (:class:`~voting.rules.results.RoundResults`, whose entries
    are the round's accepted applications) whose decision lists ``decision_entries`` (none when it failed)."""
    return tally_rows({e.application.id: entry_key(e.application) for e in results.entries},
                      {e.application.id for e in results.passed},
                      {e.application_id: e.score for e in decision_entries})

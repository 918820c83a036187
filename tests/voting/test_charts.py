"""The analysis charts: well-formed, accessible, escaped SVG with the numbers behind them."""
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from flask import render_template
from markupsafe import Markup
from sqlalchemy import event

from tests.factories import make_deliberating_round
from voting.documents.charts import (
    agreement_data,
    analysis_context,
    criterion_agreement,
    distribution_data,
    juror_leniency,
    leniency_data,
    score_distribution,
)
from voting.extensions import db
from voting.models import Round, User
from voting.rules.results import compute_results

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "<script>&"
# Entry i: one row per juror of points for the four criteria (40, 40, 10, 10); None: no sheet.
TABLE = [
    [[30, 32, 8, 7.5], [31, 30.5, 9, 8], [29, 33, 7, 8], [10, 12, 3, 2]],   # 65
    [[35, 36, 9, 9], [34, 35.5, 9, 8.5], [36, 35, 8.5, 9], [33, 34, 9, 9]],  # 87.375
    [[25, 26, 6, 6], [24, 25, 7, 6.5], [26, 24.5, 6, 7], [25, 25, 6, 6]],    # 62.75
    [[30, 30, 8, 8], [31, 31, 8, 8], None, None],                            # below quorum
    [[32, 33, 8, 8], [33, 32, 8.5, 8], [31, 34, 8, 8.5], [32, 32, 8, 8]],    # 81
]
GROUPS = ("2", "2", "1", "2", "1")


def build(app, make_user, table, groups):
    world = make_deliberating_round(app, make_user, table, groups=groups)
    with app.app_context():
        db.session.get(User, world.jurors[0].id).full_name = NASTY
        db.session.commit()
    return world


@pytest.fixture
def results(app, make_user):
    world = build(app, make_user, TABLE, GROUPS)
    with app.test_request_context():
        yield compute_results(db.session.get(Round, world.round_id))


def parse(svg):
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    return root


def bars(root):
    return [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]


def texts(root):
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("chart", [score_distribution, juror_leniency, criterion_agreement])
def test_each_chart_is_accessible_scalable_svg(results, chart):
    svg = chart(results)
    root = parse(svg)
    assert root.get("role") == "img" and root.get("viewBox").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None
    title = root.find(f"{SVG}title")
    assert title is not None and title.text.strip()
    assert title.get("id") in root.get("aria-labelledby").split()
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_distribution_has_one_bar_per_band_and_group(results):
    scores = {0: Decimal("65"), 1: Decimal("87.375"), 2: Decimal("62.75"), 4: Decimal("81")}
    expected = {(int(score // 5), GROUPS[i]) for i, score in scores.items()}
    root = parse(score_distribution(results))
    assert len(bars(root)) == len(expected) == 4
    data = distribution_data(results)
    assert (data.low, data.high, data.unscored) == (60, 100, 1)
    assert [b.low for b in data.bins] == list(range(60, 100, 5))
    assert sum(b.total for b in data.bins) == 4
    assert any(t.startswith("Điểm đạt") and "70" in t for t in texts(root))


def test_distribution_pass_mark_line_sits_between_the_bands(results):
    root = parse(score_distribution(results))
    line = root.find(f".//{SVG}g[@class='chart-pass-mark']/{SVG}line")
    ticks = {t.text: float(t.get("x")) for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit()}
    assert float(line.get("x1")) == pytest.approx(ticks["70"], abs=0.2)


def test_leniency_has_one_signed_bar_per_juror(results):
    data = leniency_data(results)
    root = parse(juror_leniency(results))
    assert len(bars(root)) == len(data) == 4
    # The fourth juror's outlying 27 points on the first entry: the strictest, last, a negative value.
    assert data[-1].difference < 0 and data[0].difference > 0
    labels = texts(root)
    assert any(t.startswith("−") for t in labels) and any(t.startswith("+") for t in labels)


def test_leniency_difference_is_own_total_minus_the_others_mean(results):
    by_total = {j.name: j for j in leniency_data(results)}
    juror = by_total[NASTY]
    # Juror 0's sheets: own total minus the mean of the others on the same entry.
    diffs = []
    for entry in TABLE:
        rows = [sum(Decimal(str(p)) for p in r) for r in entry if r is not None]
        if entry[0] is not None and len(rows) > 1:
            diffs.append(rows[0] - sum(rows[1:]) / (len(rows) - 1))
    assert float(juror.difference) == pytest.approx(float(sum(diffs) / len(diffs)))
    assert juror.compared == len(diffs)


def test_juror_name_is_escaped(results):
    svg = juror_leniency(results)
    assert "&lt;script&gt;&amp;" in svg and NASTY not in svg
    assert NASTY in texts(parse(svg))


def test_agreement_has_one_bar_per_top_criterion(results):
    data = agreement_data(results)
    root = parse(criterion_agreement(results))
    assert len(bars(root)) == len(data) == 4
    assert [r.code for r in data] == ["1", "2", "3", "4"]
    assert all(0 < r.share < 1 for r in data)
    for k, row in enumerate(data):
        deviations = []
        for entry in TABLE:
            points = [Decimal(str(r[k])) for r in entry if r is not None]
            deviations += [abs(p - sum(points) / len(points)) for p in points]
        assert float(row.mad) == pytest.approx(float(sum(deviations) / len(deviations)))
        assert float(row.share) == pytest.approx(float(row.mad) / (40 if k < 2 else 10))


def test_all_jurors_agree_renders_without_division_by_zero(app, make_user):
    same = [30, 30, 8, 8]
    world = build(app, make_user, [[same] * 3, [same] * 3], ("2", "2"))
    with app.test_request_context():
        results = compute_results(db.session.get(Round, world.round_id))
        assert all(r.mad == 0 for r in agreement_data(results))
        assert all(j.difference == 0 for j in leniency_data(results))
        context = analysis_context(results)
        for key in ("distribution_svg", "leniency_svg", "agreement_svg"):
            parse(context[key])
        assert len(bars(parse(context["agreement_svg"]))) == 4
        assert {row["share"] for row in context["agreement_table"]} == {"0%"}
        assert {row["difference"] for row in context["leniency_table"]} == {"0"}


def test_no_scored_entry_still_draws(app, make_user):
    world = build(app, make_user, [[[30, 30, 8, 8], None, None]], ("2",))
    with app.test_request_context():
        results = compute_results(db.session.get(Round, world.round_id))
        context = analysis_context(results)
        assert bars(parse(context["distribution_svg"])) == []
        assert context["distribution_table"]["unscored"] == 1
        assert [row["difference"] for row in context["leniency_table"]] == ["—"]


def test_analysis_context_gives_markup_and_tables_without_queries(results):
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        context = analysis_context(results)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
    assert all(isinstance(context[k], Markup) for k in ("distribution_svg", "leniency_svg", "agreement_svg"))
    assert len(context["leniency_table"]) == 4 and len(context["agreement_table"]) == 4
    assert sum(row["total"] for row in context["distribution_table"]["rows"]) == 4
    assert context["agreement_table"][0]["max_points"] == "40"


def test_analysis_page_renders_the_charts_and_their_tables(results):
    html = render_template("results/analysis.html", round=results.round, results=results,
                           **analysis_context(results))
    assert html.count("<svg") == 3 and html.count("<table") == 3
    assert "&lt;script&gt;&amp;" in html and NASTY not in html

"""The summary report's results of rounds run here (issue 21): entries, passing, certified, the certified
share and the mean score, per level and year, group, province and producer type.

The round of ``tests.support.certificates.certify``: Thái Nguyên, provincial, this year; four entries of
group 2, three scored 82 by each juror (34+32+8+8, 35+31+8+8, 33+33+8+8) and certified, one scored 50.
"""
from decimal import Decimal

from sqlalchemy import select

from certificates.reports.entries import results
from certificates.reports.figures import Area, Filters
from tests.conftest import login
from tests.helpers import text_of
from tests.support.certificates import certify
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Province, Role


def test_a_decided_round_is_counted_with_its_entries_and_scores(app, make_user):
    certify(app, make_user, entries=3, failing=1)
    with app.app_context():
        outcome = results(Area(None), Filters())
        thai_nguyen = db.session.scalar(select(Province.id).where(Province.code == "19"))
        elsewhere = results(Area(frozenset({thai_nguyen + 1})), Filters())
        narrowed = results(Area(None), Filters(group_code="1"))
    [row] = outcome.by_year_level
    assert row.key == (today_vn().year, "tinh")
    assert (row.entries, row.passed, row.certified) == (4, 3, 3)
    assert row.certified_share == Decimal("75.0") and row.mean_score == Decimal("82.00")
    assert [(t.key, t.entries, t.certified) for t in outcome.by_group] == [("2", 4, 3)]
    assert sum(t.entries for t in outcome.by_province) == sum(t.entries for t in outcome.by_producer_type) == 4
    assert elsewhere.entries == 0 and narrowed.entries == 0


def test_an_undecided_round_is_not_counted(app, make_user):
    from tests.factories import make_deliberating_round
    from tests.support.certificates import PASSING

    make_deliberating_round(app, make_user, [PASSING] * 2)  # scored, the council has not voted
    with app.app_context():
        assert results(Area(None), Filters()).entries == 0


def test_the_page_shows_them(app, client, make_user):
    certify(app, make_user, entries=3, failing=1)
    admin = make_user(Role.ADMIN)
    assert login(client, admin.email, admin.password).status_code == 302
    body = text_of(client.get("/reports/"))
    table = body.split('id="results-years-table"', 1)[1].split("</table>", 1)[0]
    assert f"{today_vn().year} · Cấp tỉnh" in table
    cells = [cell for cell in table.split('<td class="num">')[1:]]
    assert [c.split("</td>")[0] for c in cells] == ["4", "3", "3", "75,00 %", "82,00"]
    # The vote tallied the passing entries per group and province too: narrowed to either, they are still counted.
    for narrowing, passed in (({"province": "19"}, "3"), ({"group": "2"}, "3")):
        body = text_of(client.get("/reports/", query_string=narrowing))
        table = body.split('id="results-years-table"', 1)[1].split("</table>", 1)[0]
        assert [c.split("</td>")[0] for c in table.split('<td class="num">')[1:]][:2] == ["4", passed], narrowing

"""The audit log in Vietnamese words (issue 19): every action the code records has words and a kind, the page shows
them (and "hệ thống" for the platform itself), and filters by kind, actor, object and Vietnam's day."""
import ast
import html
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.factories import make_round
from voting.core.audit_words import ACTIONS, KINDS, OBJECTS
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Role, User
from voting.operations.audit import record_event

ROOT = Path(__file__).resolve().parents[2]
#: The calls whose argument is an action code (the audit call, and the helpers that pass one on to it).
RECORDING = {"record_event", "_move", "_withdraw"}
#: Codes made at run time: f"account.issue_{purpose}_link" and f"application.{status}".
BUILT = {"account.issue_reset_link", "account.issue_welcome_link", "application.submitted", "application.resubmitted"}
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def recorded_actions():
    actions = set()
    for path in [*ROOT.joinpath("voting").rglob("*.py"), *ROOT.joinpath("certificates").rglob("*.py")]:
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(call, "func", None)
            if isinstance(call, ast.Call) and getattr(name, "id", getattr(name, "attr", None)) in RECORDING:
                actions |= {node.value for arg in call.args if not isinstance(arg, ast.JoinedStr)  # BUILT
                            for node in ast.walk(arg)
                            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value)}
    return actions


def test_every_recorded_action_has_words_and_a_kind():
    actions = recorded_actions() | BUILT
    assert len(actions) > 80, "the scan found almost nothing"
    assert sorted(actions - set(ACTIONS)) == []
    assert sorted({code.split(".")[0] for code in ACTIONS} - set(KINDS)) == []


@pytest.fixture
def logged(app, client, make_user, logged_in):
    """A round created by an organiser yesterday and the reference data loaded by the platform itself."""
    organiser = make_user(Role.ORGANISER, province_code="19")
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id))
        record_event(None, "reference.load", object_type="reference")
        db.session.commit()
        round_id = round_.id
    logged_in(Role.ADMIN)
    return client, organiser, round_id


def _rows(client, query=""):
    body = html.unescape(client.get("/admin/audit" + query).get_data(as_text=True))
    return re.findall(r"<tr>\s*<td>\d+</td>(.*?)</tr>", body, re.S)


def test_the_page_words_each_event_and_names_the_platform(logged):
    client, organiser, round_id = logged
    rows = _rows(client)
    created = next(row for row in rows if "round.create" in row)
    assert "Tạo đợt bình chọn" in created and f"Đợt bình chọn #{round_id}" in created and organiser.email in created
    loaded = next(row for row in rows if "reference.load" in row)
    assert "Nạp dữ liệu danh mục" in loaded and "<em>hệ thống</em>" in loaded


def test_filters_by_kind_actor_object_and_day(logged):
    client, organiser, round_id = logged
    assert all("round." in row for row in _rows(client, "?kind=round")) and _rows(client, "?kind=round")
    system = _rows(client, "?actor=hệ thống")
    assert system and all("hệ thống" in row for row in system)
    assert all(f"#{round_id}" in row for row in _rows(client, f"?object=round&object_id={round_id}"))
    today = today_vn()
    assert _rows(client, f"?kind=round&since={today:%Y-%m-%d}&until={today:%Y-%m-%d}")
    assert _rows(client, f"?kind=round&until={today - timedelta(days=1):%Y-%m-%d}") == []
    # What a filter cannot read is left out, not refused: the log stays readable.
    assert _rows(client, "?kind=nonsense&since=31/02/2026&object=<script>")


def test_object_words_cover_the_objects_events_name(app, logged):
    from voting.models import AuditEvent

    with app.app_context():
        named = set(db.session.scalars(db.select(AuditEvent.object_type).distinct()))
    assert named - {""} <= set(OBJECTS)

"""The legal bases of the recognition decision ("Căn cứ …"), recorded with it (``Decision.legal_bases``, 0020e)."""
import io

import pytest
from docx import Document
from flask_migrate import downgrade, upgrade
from sqlalchemy import text as text_sql
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf_from, login
from tests.factories import make_deliberating_round
from tests.support.certificates import PASSING
from tests.support.databases import fresh_database  # noqa: F401  (a fixture)
from tests.support.databases import ROWS_AT_0002, ROWS_AT_0018
from voting import create_app
from voting.core.clock import today_vn
from voting.documents.decision import decision_doc
from voting.documents.report_docx import decision_docx
from voting.extensions import db
from voting.models import Decision, Round, StepOrder, User
from voting.operations.deliberation import record_vote

SIGNER = "Nguyễn Văn Sơn"


@pytest.fixture
def pending(app, make_user, monkeypatch):
    """A round that decides first, with the council's carried vote waiting for the organiser's decision."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = make_deliberating_round(app, make_user, [PASSING] * 2, round_settings={"step_order": StepOrder.DECIDE_FIRST})
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        decision = record_vote(db.session.get(User, hall.chair.id), round_, today_vn(), 4, 4, 0, 0, "", today_vn())
        db.session.commit()
        return hall, decision.id


def test_the_decision_form_offers_the_usual_bases_and_records_those_typed(app, client, pending):
    hall, decision_id = pending
    url = f"/rounds/{hall.round_id}/results"
    assert login(client, hall.organiser.email).status_code == 302
    page = client.get(url)
    body = page.get_data(as_text=True)
    assert "Căn cứ Thông tư số 26/2014/TT-BCT" in body and "Xét đề nghị của Giám đốc Sở Công Thương" in body
    typed = {"csrf_token": csrf_from(page), "decision_number": "16/QĐ-UBND", "decision_on": today_vn().isoformat(),
             "signer_title": "Chủ tịch", "signer_name": SIGNER}
    too_long = client.post(f"{url}/decisions/{decision_id}", data={**typed, "legal_bases": "Căn cứ " + "x" * 5000})
    assert too_long.status_code == 400 and "Tối đa 5000 ký tự." in too_long.get_data(as_text=True)
    assert "x" * 5000 in too_long.get_data(as_text=True)  # what was typed stays
    bases = "Căn cứ Luật A;\r\n\r\n   Căn cứ <Quyết định> số 1 & 2;  \r\nXét đề nghị của Sở Công Thương."
    assert client.post(f"{url}/decisions/{decision_id}", data={**typed, "legal_bases": bases}).status_code == 302
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        assert decision.legal_bases == "Căn cứ Luật A;\nCăn cứ <Quyết định> số 1 & 2;\nXét đề nghị của Sở Công Thương."
        doc = decision_doc(decision)
        assert doc.bases == ("Căn cứ Luật A;", "Căn cứ <Quyết định> số 1 & 2;", "Xét đề nghị của Sở Công Thương.")
        paragraphs = [p.text for p in Document(io.BytesIO(decision_docx(decision))).paragraphs]
        assert "Căn cứ <Quyết định> số 1 & 2;" in paragraphs
        assert not any("26/2014/TT-BCT" in p for p in paragraphs)


def test_decisions_recorded_before_0020e_print_the_usual_bases(fresh_database):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            for statement in ROWS_AT_0002:
                conn.execute(text_sql(statement))
        upgrade(revision="0018_decision_entry_names")
        with db.engine.begin() as conn:
            for statement in ROWS_AT_0018:
                conn.execute(text_sql(statement))
        upgrade(revision="0020e_decision_legal_bases")
        with db.engine.connect() as conn:
            assert conn.execute(text_sql("SELECT legal_bases FROM decision ORDER BY id")).scalars().all() == ["", ""]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text_sql("UPDATE decision SET legal_bases = NULL WHERE id = 1"))
        downgrade(revision="0019e_step_order")
        with db.engine.connect() as conn:
            assert conn.execute(text_sql("SELECT decision_number FROM decision WHERE id = 1")).scalar() == "12/QĐ-UBND"
        upgrade()
        db.engine.dispose()

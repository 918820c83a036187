"""Guidance per criterion (issue 19): the organiser writes it while the sheet may change, the juror reads it under
each criterion (escaped), and the paper sheet prints it."""
import unicodedata
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.support.scoring_pages import make_hall as make_hall  # noqa: PLC0414 (a fixture)
from voting.extensions import db
from voting.models import AuditEvent, Round, RoundCriterion, User
from voting.operations.rounds import open_scoring, set_criterion_guidance, set_subcriteria

MARKET = "Xem sản lượng bán ra 2 năm gần nhất, số tỉnh có đại lý; hợp đồng xuất khẩu cho điểm cao."


def _criterion_ids(app, round_id):
    with app.app_context():
        return {c.code: c.id for c in db.session.get(Round, round_id).criteria}


def _guidance(app, round_id):
    with app.app_context():
        return {c.code: c.guidance for c in db.session.get(Round, round_id).criteria}


def _post_guidance(client, round_id, texts):
    page = client.get(f"/organiser/rounds/{round_id}/scoring-settings")
    assert page.status_code == 200
    return client.post(f"/organiser/rounds/{round_id}/guidance",
                       data={"csrf_token": csrf_from(page), **texts})


def test_the_organiser_saves_guidance_in_nfc(app, client, make_hall):
    hall = make_hall(scoring=False)
    ids = _criterion_ids(app, hall.round_id)
    login(client, hall.organiser.email)
    typed = unicodedata.normalize("NFD", MARKET)  # as some phone keyboards send Vietnamese
    answer = _post_guidance(client, hall.round_id, {f"guidance-{ids['1']}": f"  {typed}\n", f"guidance-{ids['3']}": ""})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/scoring-settings#guidance")
    assert _guidance(app, hall.round_id) == {"1": MARKET, "2": "", "3": "", "4": ""}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.set_guidance"))
        assert event is not None and event.data_dict["changed"] == {"1": MARKET}
    page = client.get(f"/organiser/rounds/{hall.round_id}/scoring-settings").get_data(as_text=True)
    assert MARKET in page  # shown again in its box, to be edited


def test_too_long_guidance_is_refused_with_what_was_typed_kept(app, client, make_hall):
    hall = make_hall(scoring=False)
    ids = _criterion_ids(app, hall.round_id)
    login(client, hall.organiser.email)
    too_long = "Đánh giá bao bì, nhãn mác. " * 40  # 1,080 characters once trimmed
    answer = _post_guidance(client, hall.round_id, {f"guidance-{ids['2']}": too_long,
                                                     f"guidance-{ids['1']}": MARKET})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Hướng dẫn dài tối đa 1000 ký tự; bạn đã nhập 1079 ký tự." in body
    assert f'href="#guidance-{ids["2"]}"' in body  # the summary links to the box
    assert too_long.strip() in body and MARKET in body
    assert _guidance(app, hall.round_id) == {"1": "", "2": "", "3": "", "4": ""}  # nothing half-written


def test_guidance_is_fixed_once_scoring_opens(app, client, make_hall):
    hall = make_hall()
    ids = _criterion_ids(app, hall.round_id)
    login(client, hall.organiser.email)
    page = client.get(f"/organiser/rounds/{hall.round_id}/scoring-settings").get_data(as_text=True)
    assert f'name="guidance-{ids["1"]}"' not in page
    answer = _post_guidance(client, hall.round_id, {f"guidance-{ids['1']}": MARKET})
    assert answer.status_code == 400
    assert "phiếu chấm không thay đổi được nữa" in answer.get_data(as_text=True)
    assert _guidance(app, hall.round_id)["1"] == ""


def test_a_sub_criterion_given_again_keeps_its_guidance(app, make_hall):
    hall = make_hall(scoring=False)
    with app.app_context():
        organiser, round_ = db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id)
        set_subcriteria(organiser, round_, "1", [("1.1", "Thị trường", 25), ("1.2", "Quy mô", 15)])
        db.session.flush()
        sub = {c.code: c.id for c in round_.criteria}
        set_criterion_guidance(organiser, round_, {sub["1.1"]: "Số tỉnh có đại lý."})
        set_subcriteria(organiser, round_, "1", [("1.1", "Thị trường", 20), ("1.3", "Lao động", 20)])
        db.session.commit()
        assert {c.code: c.guidance for c in round_.criteria if c.parent_id} == {"1.1": "Số tỉnh có đại lý.", "1.3": ""}


def test_the_juror_reads_it_escaped_under_its_criterion(app, client, make_hall):
    hall = make_hall(scoring=False)
    hostile = '<script>alert("x")</script> Xem <b>bao bì</b>'
    with app.app_context():
        organiser, round_ = db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id)
        ids = {c.code: c.id for c in round_.criteria}
        set_criterion_guidance(organiser, round_, {ids["1"]: MARKET, ids["3"]: hostile})
        open_scoring(organiser, round_)
        db.session.commit()
    login(client, hall.jurors[0].email, hall.jurors[0].password)
    body = client.get(f"/jury/rounds/{hall.round_id}/entries/{hall.entries['2.001']}").get_data(as_text=True)
    assert "<script>alert" not in body and "<b>bao bì</b>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Xem &lt;b&gt;bao bì&lt;/b&gt;" in body
    # Under its own criterion: after criterion 1's name, before its points box.
    name, guidance, points = (body.index(f'id="crit-{ids["1"]}"'), body.index(f'id="guidance-{ids["1"]}"'),
                              body.index(f'id="points-{ids["1"]}"'))
    assert name < guidance < points
    assert f'id="guidance-{ids["2"]}"' not in body  # none written: no empty disclosure


def test_the_paper_sheet_prints_it(app, client, make_hall):
    hall = make_hall(scoring=False)
    with app.app_context():
        organiser, round_ = db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id)
        first = db.session.scalar(select(RoundCriterion).where(RoundCriterion.round_id == round_.id,
                                                               RoundCriterion.code == "1"))
        set_criterion_guidance(organiser, round_, {first.id: MARKET})
        db.session.commit()
    login(client, hall.organiser.email)
    response = client.get(f"/organiser/rounds/{hall.round_id}/score-sheets.pdf")
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 3  # still one page per entry
    text = " ".join(reader.pages[0].extract_text().split())
    assert "hợp đồng xuất khẩu cho điểm cao" in text

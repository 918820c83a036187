"""One round from draft to the end of scoring, over HTTP only.

Several jurors; a declared and a detected conflict; a false flag dismissed by
the chair; a paper sheet typed in by the secretary; a sheet reopened and
submitted again; then deliberation.
"""
import io
import re

from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import commune_in, jpeg_bytes, pdf_bytes
from tests.support.dossiers import all_commitments
from voting.extensions import db
from voting.models import Application, Conflict, Round, RoundStatus, ScoreSheet, SheetStatus, User


def _post(client, url, data, page_url=None, **kwargs):
    page = client.get(page_url or url)
    return client.post(url, data={"csrf_token": csrf_from(page), **data}, **kwargs)


def _producer_applies(app, client, make_user, index, round_id):
    """A producer registers through the UI, builds a complete dossier and submits it."""
    user = make_user("producer", email=f"coso{index}@example.vn")
    login(client, user.email, user.password)
    with app.app_context():
        commune = commune_in("19", index)
        commune_code = commune.code
    assert _post(client, "/producer/profile", {
        "name": f"Hợp tác xã thử nghiệm {index}", "type_code": "htx", "registration_number": f"470055{index:04d}",
        "province": "19", "commune": commune_code, "address": f"Thôn {index}", "representative": f"Người đại diện {index}",
        "phone": f"09111111{index:02d}", "email": f"htx{index}@example.vn"}).status_code == 302
    response = _post(client, "/producer/products/new", {
        "name": f"Sản phẩm thử {index}", "group_code": "2",
        "description": "Sản phẩm chế biến từ nguyên liệu địa phương, quy trình khép kín, có thị trường ổn định."})
    product_url = response.headers["Location"]
    for colour in ("teal", "orange", "navy"):
        _post(client, f"{product_url}/photos", {"file": (io.BytesIO(jpeg_bytes(colour)), f"{colour}.jpg")},
              page_url=product_url, content_type="multipart/form-data")
    _post(client, f"{product_url}/documents", {"document_type": "registration",
                                               "file": (io.BytesIO(pdf_bytes()), "dkkd.pdf")},
          page_url=product_url, content_type="multipart/form-data")
    applied = _post(client, f"{product_url}/apply", {"round_id": str(round_id)}, page_url=product_url)
    application_url = applied.headers["Location"]
    assert _post(client, f"{application_url}/submit", all_commitments(), page_url=application_url).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/account/password"))})
    return user, int(application_url.rstrip("/").rsplit("/", 1)[1])


def _score(client, round_id, application_id, points, comment="Đạt yêu cầu, thị trường ổn định"):
    url = f"/jury/rounds/{round_id}/entries/{application_id}"
    page = client.get(url)
    body = page.get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', body).group(1)
    ids = re.findall(r'name="points-(\d+)"', body)
    data = {"csrf_token": csrf_from(page), "version": version, "comment": comment, "action": "submit",
            **{f"points-{cid}": value for cid, value in zip(ids, points, strict=True)}}
    return client.post(url, data=data)


def test_a_round_from_draft_to_deliberation(app, client, make_user, monkeypatch):
    # A dozen people sign in from one test address within a minute: not an attack.
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100 per minute")
    organiser = make_user("organiser", province_code="19")
    jurors = [make_user("juror", email=f"giamkhao{i}@example.vn") for i in range(4)]
    chair = make_user("juror", email="chutich@example.vn")
    login(client, organiser.email)
    # Draft → registration open, through the organiser's forms.
    with app.app_context():
        from voting.models import IssuingAuthority

        authority_id = db.session.scalar(select(IssuingAuthority.id).where(IssuingAuthority.code == "UBND-19"))
    from voting.core.clock import today_vn

    today = today_vn()
    created = _post(client, "/organiser/rounds/new", {
        "title": "Bình chọn thử nghiệm", "year": str(today.year), "authority_id": str(authority_id),
        "registration_opens_on": (today.replace(day=1)).isoformat(), "registration_closes_on": today.isoformat()})
    round_id = int(created.headers["Location"].rsplit("/", 1)[1])
    _post(client, f"/organiser/rounds/{round_id}/registration", {}, page_url=f"/organiser/rounds/{round_id}")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/account/password"))})

    producers = [_producer_applies(app, client, make_user, i, round_id) for i in range(3)]
    application_ids = [a for _, a in producers]

    login(client, organiser.email)
    _post(client, f"/organiser/rounds/{round_id}/registration", {}, page_url=f"/organiser/rounds/{round_id}")
    for application_id in application_ids:
        assert _post(client, f"/organiser/applications/{application_id}", {"decision": "accept"}).status_code == 302
    council_url = f"/organiser/rounds/{round_id}/council"
    for data in ({"member-full_name": "Chủ tịch Hội đồng", "member-email": chair.email, "member-role": "chair"},
                 {"member-full_name": "Thư ký Hội đồng", "member-email": organiser.email, "member-role": "secretary"}):
        assert _post(client, council_url, {**data, "member-submit": "1"}).status_code == 302
    for juror in jurors:
        _post(client, council_url, {"juror-email": juror.email, "juror-submit": "1"})
    # A detected conflict (juror 3 shares producer 1's phone): a false flag the chair will dismiss.
    with app.app_context():
        db.session.get(User, jurors[3].id).phone = "0911111101"
        db.session.commit()
    _post(client, f"/organiser/rounds/{round_id}/detect-conflicts", {}, page_url=council_url)
    _post(client, f"/organiser/rounds/{round_id}/phase", {"transition": "open_scoring"}, page_url=council_url)
    with app.app_context():
        assert db.session.get(Round, round_id).status == RoundStatus.SCORING
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/account/password"))})

    # Juror 0 declares a conflict with producer 0 before scoring it.
    juror_client = app.test_client()
    login(juror_client, jurors[0].email)
    with app.app_context():
        producer0 = db.session.get(Application, application_ids[0]).producer_id
    _post(juror_client, f"/jury/rounds/{round_id}/conflicts", {"producer_id": str(producer0), "reason": "Con gái tôi làm ở đây"},
          page_url=f"/jury/rounds/{round_id}")
    assert juror_client.get(f"/jury/rounds/{round_id}/entries/{application_ids[0]}").status_code == 403
    for application_id in application_ids[1:]:
        assert _score(juror_client, round_id, application_id, ["30", "30", "8", "8"]).status_code == 302

    # The chair dismisses the false flag, so juror 3 may score producer 1's entry after all.
    chair_client = app.test_client()
    login(chair_client, chair.email)
    with app.app_context():
        flag_id = db.session.scalar(select(Conflict.id).where(Conflict.source == "same_contact"))
    _post(chair_client, f"/council/conflicts/{flag_id}/dismiss", {"reason": "Số điện thoại nhập nhầm"},
          page_url=f"/council/rounds/{round_id}")

    for juror in jurors[1:]:
        other = app.test_client()
        login(other, juror.email)
        for application_id in application_ids:
            if juror is jurors[2] and application_id == application_ids[2]:
                continue  # this one comes on paper
            assert _score(other, round_id, application_id, ["32.5", "31", "9", "7.5"]).status_code == 302

    # The secretary types in juror 2's paper sheet for entry 2, with its scan.
    login(client, organiser.email)
    paper_url = f"/council/rounds/{round_id}/paper"
    page = client.get(paper_url)
    ids = re.findall(r'name="points-(\d+)"', page.get_data(as_text=True))
    client.post(paper_url, content_type="multipart/form-data", data={
        "csrf_token": csrf_from(page), "application_id": str(application_ids[2]), "juror_id": str(jurors[2].id),
        "comment": "Phiếu giấy", "scan": (io.BytesIO(pdf_bytes()), "phieu.pdf"),
        **{f"points-{cid}": v for cid, v in zip(ids, ["35", "33", "9", "9"], strict=True)}})

    # The chair reopens one sheet; the juror corrects and submits it again.
    with app.app_context():
        sheet_id = db.session.scalar(select(ScoreSheet.id).where(
            ScoreSheet.juror_user_id == jurors[1].id, ScoreSheet.application_id == application_ids[1]))
    _post(chair_client, f"/council/sheets/{sheet_id}/reopen", {"reason": "Cộng nhầm tiêu chí 2"},
          page_url=f"/council/rounds/{round_id}")
    fixer = app.test_client()
    login(fixer, jurors[1].email)
    assert _score(fixer, round_id, application_ids[1], ["32.5", "35", "9", "7.5"]).status_code == 302

    # Every entry has its three sheets: the council can deliberate.
    _post(client, f"/organiser/rounds/{round_id}/phase", {"transition": "start_deliberation"}, page_url=council_url)
    with app.app_context():
        assert db.session.get(Round, round_id).status == RoundStatus.DELIBERATION
        sheets = db.session.scalars(select(ScoreSheet).where(ScoreSheet.round_id == round_id)).all()
        assert all(s.status == SheetStatus.SUBMITTED for s in sheets)
        assert len(sheets) == 3 + 3 + 2 + 3  # juror 0 skipped its conflicted entry
        assert any(s.entered_by_id == organiser.id for s in sheets)
        assert db.session.get(Conflict, flag_id).active is False


def test_a_recusal_that_leaves_an_entry_short_warns_the_organiser(app, make_user):
    from tests.factories import make_entries, make_round
    from voting.models import Notification
    from voting.operations.council import assign_juror

    organiser_ref = make_user("organiser", province_code="19")
    owners = [make_user("producer") for _ in range(3)]
    jurors = [make_user("juror") for _ in range(3)]
    with app.app_context():
        organiser = db.session.get(User, organiser_ref.id)
        round_ = make_round(organiser)
        entries = make_entries(organiser, [db.session.get(User, o.id) for o in owners], round_)
        for juror in jurors:
            assign_juror(organiser, round_, db.session.get(User, juror.id))
        db.session.commit()
        round_id, producer_id = round_.id, entries[0].producer_id
    client = app.test_client()
    login(client, jurors[0].email)
    _post(client, f"/jury/rounds/{round_id}/conflicts", {"producer_id": str(producer_id), "reason": "Anh ruột"},
          page_url=f"/jury/rounds/{round_id}")
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.user_id == organiser_ref.id))
        assert note is not None and note.kind == "jurors_short"
    inbox = app.test_client()
    login(inbox, organiser_ref.email)
    assert "không còn đủ" in inbox.get("/account/inbox").get_data(as_text=True)

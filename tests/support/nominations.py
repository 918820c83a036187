"""Nominating, screening and certifying through the organiser's pages (the nomination journey)."""
from datetime import timedelta

from certificates.jobs import issue_round
from tests.conftest import csrf_token
from tests.helpers import text_of
from voting.rules.signer import SignerBlock
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Round, User
from voting.operations.deliberation import publish_results, record_decision, record_vote


def nominate_on_page(client, round_id, target_id, application_ids):
    url = f"/organiser/rounds/{round_id}/nominate"
    page = client.get(url, query_string={"target": target_id, "top": len(application_ids)})
    assert page.status_code == 200
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "target_id": str(target_id),
                                      "entries": [str(i) for i in application_ids]})
    assert response.status_code == 302, text_of(response)
    return text_of(client.get(response.location))


def screen_all(client, round_id, application_ids):
    """Close registration and accept every nominated entry, as the organiser does on the pages."""
    token = csrf_token(client, f"/organiser/rounds/{round_id}")
    assert client.post(f"/organiser/rounds/{round_id}/registration",
                       data={"csrf_token": token}).status_code == 302
    for application_id in application_ids:
        url = f"/organiser/applications/{application_id}"
        assert client.get(url).status_code == 200
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "decision": "accept",
                                          "message": ""})
        assert response.status_code == 302, text_of(response)


def decide_and_certify(app, hall, organiser_id):
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        chair, organiser = db.session.get(User, hall.chair.id), db.session.get(User, organiser_id)
        decision = record_vote(chair, round_, today_vn(), 4, 4, 0, 0, "", today_vn())
        publish_results(organiser, round_, today_vn())  # the rules' order: announced, then decided
        decision.complaints_close_on = today_vn() - timedelta(days=1)  # the window has run out
        record_decision(organiser, decision, f"{hall.round_id}/QĐ-CĐMST", today_vn(),
                        SignerBlock(title="Cục trưởng", name="Trần Văn Cục"), today_vn())
        db.session.commit()
        issue_round(organiser, round_, today_vn())
        db.session.commit()

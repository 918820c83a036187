"""Nominations from a certified provincial round (Thái Nguyên) to its region's round, through the operations."""
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certificates.operations.lifecycle import revoke_certificate
from voting.core.clock import today_vn
from voting.rules.eligibility import holds_dossier
from voting.core.errors import DomainError, InvalidTransition, NotEligible
from voting.extensions import db
from voting.models import Application, ApplicationStatus, AuditEvent, Nomination, Notification, Role, Round, User
from certificates.models import Certificate
from voting.operations.nominations import nominate, nomination_list, withdraw_nomination
from voting.operations.rounds import create_round, open_registration

THAI_NGUYEN, HA_NOI, CAN_THO = "19", "01", "92"


def _nominate(source_id, target_id, actor_id):
    actor = db.session.get(User, actor_id)
    return nominate(actor, db.session.get(Application, source_id), db.session.get(Round, target_id), today_vn())


def _problems(source_id, target_id, actor_id):
    with pytest.raises(NotEligible) as refused:
        _nominate(source_id, target_id, actor_id)
    return refused.value.problems


def test_a_certified_entry_is_submitted_to_its_regions_round_with_the_same_dossier(
        app, provincial, regional_round):
    target_id, regional_organiser = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        nomination, notes = _nominate(source_id, target_id, provincial.organiser.id)
        db.session.commit()
        source, entry = db.session.get(Application, source_id), nomination.target_application
        assert entry.round_id == target_id and entry.status == ApplicationStatus.SUBMITTED
        assert (entry.product_id, entry.producer_id) == (source.product_id, source.producer_id)
        assert entry.submitted_at is not None and holds_dossier(entry)
        certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == source_id))
        assert nomination.source_certificate_id == certificate.id
        assert nomination.nominated_by_id == provincial.organiser.id
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.object_type == "nomination", AuditEvent.object_id == str(nomination.id))) == "nomination.create"
        inboxes = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification).where(
            Notification.application_id == entry.id))}
        assert (regional_organiser.id, "nomination_received") in inboxes
        assert (provincial.owners[0].id, "application_nominated") in inboxes
        assert len(notes) == len(inboxes)


def test_the_list_for_the_region_carries_decision_and_certificate(app, provincial, regional_round):
    target_id, _ = regional_round()
    with app.app_context():
        for source_id in provincial.application_ids[:2]:
            _nominate(source_id, target_id, provincial.organiser.id)
        db.session.commit()
        rows = nomination_list(db.session.get(Round, target_id))
        numbers = set(db.session.scalars(select(Certificate.number).where(
            Certificate.round_id == provincial.round_id)))
    assert len(rows) == 2 and {row.certificate_number for row in rows} == numbers
    assert {row.province_name for row in rows} == {"Thái Nguyên"}
    assert all(row.decision_number.endswith("/QĐ-UBND") and row.decision_on == today_vn() for row in rows)


def test_an_uncertified_entry_is_refused(app, provincial, regional_round):
    target_id, _ = regional_round()
    with app.app_context():
        assert _problems(provincial.application_ids[2], target_id, provincial.organiser.id) == ["no_certificate"]


def test_a_revoked_certificate_is_refused(app, provincial, regional_round):
    target_id, _ = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == source_id))
        revoke_certificate(db.session.get(User, provincial.organiser.id), certificate, "quality_violation",
                           "Kiểm tra chất lượng không đạt.")
        db.session.commit()
        assert _problems(source_id, target_id, provincial.organiser.id) == ["certificate_not_valid"]


def test_a_certificate_expiring_before_the_registration_deadline_is_refused(app, provincial, regional_round):
    target_id, _ = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == source_id))
        # A long registration window that ends the day after the certificate runs out.
        db.session.get(Round, target_id).registration_closes_on = certificate.expires_on + timedelta(days=1)
        db.session.commit()
        assert _problems(source_id, target_id, provincial.organiser.id) == ["certificate_expires"]


def test_a_round_of_another_region_is_refused(app, provincial, regional_round):
    target_id, _ = regional_round(province_code=CAN_THO)
    with app.app_context():
        assert _problems(provincial.application_ids[0], target_id, provincial.organiser.id) == ["other_region"]


def test_nominating_twice_is_refused(app, provincial, regional_round):
    target_id, _ = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        _nominate(source_id, target_id, provincial.organiser.id)
        db.session.commit()
        assert _problems(source_id, target_id, provincial.organiser.id) == ["already_nominated"]


def test_the_schema_refuses_a_second_nomination_of_one_entry_to_one_round(app, provincial, regional_round):
    target_id, _ = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        first, _ = _nominate(source_id, target_id, provincial.organiser.id)
        db.session.commit()
        other = db.session.scalar(select(Application).where(Application.id == provincial.application_ids[1]))
        copy = Application(round_id=target_id, product_id=other.product_id, producer_id=other.producer_id,
                           status=ApplicationStatus.SUBMITTED, commitments="nominated")
        db.session.add(copy)
        db.session.flush()
        db.session.add(Nomination(source_application_id=source_id, source_certificate_id=first.source_certificate_id,
                                  target_round_id=target_id, target_application_id=copy.id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_same_entry_nominated_twice_at_once_is_nominated_once(app, provincial, regional_round):
    from tests.support.concurrency import run_together

    target_id, _ = regional_round()
    source_id = provincial.application_ids[0]
    outcomes = run_together(app, *[lambda: _nominate(source_id, target_id, provincial.organiser.id)] * 2)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], NotEligible), outcomes
    assert refused[0].problems == ["already_nominated"]
    with app.app_context():
        assert len(db.session.scalars(select(Nomination).where(Nomination.target_round_id == target_id)).all()) == 1


def test_two_entries_racing_for_a_provinces_last_place_take_it_once(app, provincial, regional_round):
    from tests.support.concurrency import run_together

    target_id, _ = regional_round()
    with app.app_context():
        db.session.get(Round, target_id).nomination_quota = 1
        db.session.commit()
    first, second = provincial.application_ids[:2]
    outcomes = run_together(app, lambda: _nominate(first, target_id, provincial.organiser.id),
                            lambda: _nominate(second, target_id, provincial.organiser.id))
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and refused[0].problems == ["quota_reached"], outcomes


def test_a_full_quota_refuses_the_provinces_next_entry(app, provincial, regional_round):
    target_id, _ = regional_round()
    with app.app_context():
        db.session.get(Round, target_id).nomination_quota = 1
        _nominate(provincial.application_ids[0], target_id, provincial.organiser.id)
        db.session.commit()
        assert _problems(provincial.application_ids[1], target_id, provincial.organiser.id) == ["quota_reached"]


def test_a_round_not_open_for_registration_is_refused(app, provincial, regional_round):
    target_id, _ = regional_round(open_=False)
    with app.app_context():
        assert _problems(provincial.application_ids[0], target_id, provincial.organiser.id) == ["round_not_open"]


def test_an_organiser_who_does_not_manage_the_source_round_is_refused(app, make_user, provincial, regional_round):
    target_id, _ = regional_round()
    outsider = make_user(Role.ORGANISER, province_code=HA_NOI)
    with app.app_context(), pytest.raises(DomainError) as refused:
        _nominate(provincial.application_ids[0], target_id, outsider.id)
    assert refused.value.code == "organiser_only"
    with app.app_context():
        assert db.session.scalar(select(Nomination)) is None


def test_a_withdrawn_nomination_frees_the_place_and_may_be_made_again(app, provincial, regional_round):
    target_id, _ = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        db.session.get(Round, target_id).nomination_quota = 1
        nomination, _ = _nominate(source_id, target_id, provincial.organiser.id)
        withdraw_nomination(db.session.get(User, provincial.organiser.id), nomination, "Nhầm sản phẩm.")
        db.session.commit()
        assert nomination.target_application.status == ApplicationStatus.WITHDRAWN
        assert nomination_list(db.session.get(Round, target_id)) == []
        again, _ = _nominate(source_id, target_id, provincial.organiser.id)
        db.session.commit()
        assert again.id == nomination.id and again.target_application.status == ApplicationStatus.SUBMITTED


def test_a_screened_nomination_cannot_be_withdrawn(app, provincial, regional_round):
    from voting.operations.applications import accept_application

    target_id, regional_organiser = regional_round()
    with app.app_context():
        nomination, _ = _nominate(provincial.application_ids[0], target_id, provincial.organiser.id)
        accept_application(db.session.get(User, regional_organiser.id), nomination.target_application)
        db.session.commit()
        with pytest.raises(InvalidTransition):
            withdraw_nomination(db.session.get(User, provincial.organiser.id), nomination)


def test_a_provincial_entry_cannot_skip_the_regional_round(app, make_user, provincial):
    user = make_user(Role.ORGANISER, jurisdiction="quoc_gia")
    with app.app_context():
        ministry = db.session.get(User, user.id)
        today = today_vn()
        national = create_round(ministry, {
            "title": f"Bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia năm {today.year}", "year": today.year,
            "registration_opens_on": today, "registration_closes_on": today + timedelta(days=30)}, None)
        open_registration(ministry, national)
        db.session.commit()
        assert _problems(provincial.application_ids[0], national.id, provincial.organiser.id) == ["not_level_below"]

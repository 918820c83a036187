"""The worlds of tests/test_idor.py: real objects built through the operations, and the people who visit them.

Each builder takes ``(app, make_user)`` and returns a :class:`World`: the ids
its URLs are filled with, and its people by the names the probes use.
"""
from dataclasses import dataclass

from sqlalchemy import select

from tests.conftest import REFERENCE_TABLES, csrf_token, login
from tests.factories import (
    DESCRIPTION,
    attach_file,
    build_world,
    found_council,
    deliberate,
    jpeg_bytes,
    make_complete_product,
    make_entries,
    make_producer,
    make_round,
)
from tests.support.certificates import PASSING, certify, issue_certificates
from voting.rules.signer import SignerBlock
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import (
    Application,
    BackgroundJob,
    Complaint,
    Conflict,
    CouncilMember,
    IssuingAuthority,
    Juror,
    Round,
    StepOrder,
    ScoreSheet,
    SupportMember,
    User,
)
from certificates.models import Certificate


@dataclass
class World:
    ids: dict
    people: dict   # name -> UserRef, or None for an anonymous visitor


def _load(ref):
    return db.session.get(User, ref.id)


def _dossier(app, make_user):
    """A Thái Nguyên round with two producers' submitted applications, a spare unentered product, a finished export."""
    from voting.operations.applications import start_application, submit_application
    from voting.rules.commitments import commitment_codes
    from voting.operations.products import save_product
    from voting.core.storage import storage

    people = {"owner": make_user("producer"), "producer": make_user("producer"),
              "organiser": make_user("organiser", province_code="19"),
              "organiser_elsewhere": make_user("organiser", province_code="56")}
    world = build_world(app, people["owner"].email, people["organiser"].email)
    with app.app_context():
        owner, other = _load(people["owner"]), _load(people["producer"])
        spare = save_product(owner, owner.producer, None, {
            "name": "Miến dong sợi nhỏ", "group_code": "2", "description": DESCRIPTION, "gtin": None, "is_set": False}, [])
        spare_photo = attach_file(owner, spare, jpeg_bytes("olive"), name="olive.jpg")
        producer = make_producer(other, name="Hợp tác xã Chè Tân Cương", registration_number="4700999001",
                                 phone="0987000001")
        product = make_complete_product(other, producer, name="Chè Tân Cương")
        round_ = db.session.get(Round, world.round_id)
        application = start_application(other, producer, product, round_, today_vn())
        submit_application(other, application, today_vn(), commitment_codes())
        storage("exports").save(f"round-{round_.id}/matrix.zip", b"PK\x05\x06" + bytes(18))
        job = BackgroundJob(kind="certificates_zip", round_id=round_.id, status="done",
                            result_key=f"round-{round_.id}/matrix.zip", result_name="matrix.zip")
        db.session.add(job)
        db.session.commit()
        ids = {"round_id": world.round_id, "product_id": world.product_id, "photo_id": world.photo_id,
               "document_id": world.document_id, "application_id": world.application_id,
               "spare_photo_id": spare_photo.id, "spare_product_id": spare.id, "other_photo_id": product.photos[0].id,
               "job_id": job.id, "waiting_application_id": application.id}
    return World(ids, people)


def _scoring_round(organiser, owner, chair, jurors, member):
    """A round in screening with one accepted entry, ``chair`` and a plain ``member`` on its council, ``jurors``."""
    from voting.operations.council import Person, add_support_member, assign_juror, set_council_member

    round_ = make_round(organiser, title=f"Bình chọn thử {owner.id}")
    entry = make_entries(organiser, [owner], round_, ("2",))[0]
    set_council_member(organiser, round_, chair, "chair")
    set_council_member(organiser, round_, organiser, "secretary")
    set_council_member(organiser, round_, member, "member")
    found_council(organiser, round_)
    add_support_member(organiser, round_, Person(f"Tổ viên giúp việc {owner.id}"))
    for juror in jurors:
        assign_juror(organiser, round_, juror)
    return round_, entry


def _scoring(app, make_user):
    """Rounds A and B of one organiser, both in scoring; ``juror`` sits on both juries, ``juror_elsewhere`` on B's.

    In A: a detected conflict, and ``juror``'s submitted sheet.
    """
    from voting.operations.council import detect_conflicts
    from voting.operations.rounds import open_scoring
    from voting.operations.scoring import open_sheet, save_draft, submit_sheet

    people = {"organiser": make_user("organiser", province_code="19"),
              "organiser_elsewhere": make_user("organiser", province_code="56"),
              "chair": make_user("juror"), "chair_elsewhere": make_user("juror"),
              "juror": make_user("juror"), "juror_elsewhere": make_user("juror")}
    owners, extra = [make_user("producer") for _ in range(2)], [make_user("juror") for _ in range(6)]
    with app.app_context():
        organiser, juror = _load(people["organiser"]), _load(people["juror"])
        a, entry_a = _scoring_round(organiser, _load(owners[0]), _load(people["chair"]),
                                    [juror, *map(_load, extra[:3])], _load(extra[3]))
        b, entry_b = _scoring_round(organiser, _load(owners[1]), _load(people["chair_elsewhere"]),
                                    [juror, _load(people["juror_elsewhere"]), _load(extra[4])], _load(extra[5]))
        _load(extra[2]).phone = entry_a.producer.phone  # flagged, and a flag the chair may dismiss
        detect_conflicts(organiser, a)
        open_scoring(organiser, a)
        open_scoring(organiser, b)
        sheet = open_sheet(juror, entry_a, juror)
        save_draft(juror, sheet, {str(c.id): "5" for c in a.leaf_criteria}, comment="Đạt")
        submit_sheet(juror, sheet, sheet.version)
        db.session.commit()

        def row(model, round_, user):
            return db.session.scalar(select(model.id).where(model.round_id == round_.id, model.user_id == user.id))

        ids = {"round_id": a.id, "other_round_id": b.id, "application_id": entry_a.id,
               "other_application_id": entry_b.id, "photo_id": entry_a.product.photos[0].id,
               "other_photo_id": entry_b.product.photos[0].id, "sheet_id": sheet.id,
               "conflict_id": db.session.scalar(select(Conflict.id).where(Conflict.round_id == a.id)),
               "juror_id": row(Juror, a, _load(extra[0])), "other_juror_id": row(Juror, b, _load(extra[4])),
               "member_id": row(CouncilMember, a, _load(extra[3])),
               "other_member_id": row(CouncilMember, b, _load(extra[5])),
               "support_id": db.session.scalar(select(SupportMember.id).where(SupportMember.round_id == a.id)),
               "other_support_id": db.session.scalar(select(SupportMember.id).where(SupportMember.round_id == b.id))}
    return World(ids, people)


def _decided_round(app, hall, juror, owner):
    """Strike entry 2, ask ``juror`` to justify their sheet of entry 1, vote, decide, publish; ``owner`` complains."""
    from voting.operations.complaints import file_complaint
    from voting.operations.deliberation import (
        publish_results,
        record_decision,
        record_vote,
        request_justification,
        strike_entry,
    )

    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        # Decided, then published with a complaint open: every results route has something to act on.
        round_.step_order = StepOrder.DECIDE_FIRST
        chair, organiser = _load(hall.chair), _load(hall.organiser)
        first, second = (db.session.get(Application, i) for i in hall.application_ids)
        strike = strike_entry(chair, round_, second, "Thiếu hồ sơ")
        sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.application_id == first.id,
                                                           ScoreSheet.juror_user_id == juror.id))
        request_justification(chair, sheet, "Điểm lệch nhiều so với các giám khảo khác.")
        db.session.flush()
        decision = record_vote(chair, round_, today_vn(), 4, 4, 0, 0, "", today_vn())
        record_decision(organiser, decision, f"{round_.id}/QĐ-UBND", today_vn(), SignerBlock(title="Phó Chủ tịch", name="Lê Văn A"),
                        today_vn())
        publish_results(organiser, round_, today_vn())
        file_complaint(_load(owner), first, "Xin xem lại điểm.", today_vn())
        db.session.commit()
        complaint = db.session.scalar(select(Complaint.id).where(Complaint.application_id == first.id))
        return {"round_id": round_.id, "decision_id": decision.id, "strike_id": strike.id, "sheet_id": sheet.id,
                "complaint_id": complaint, "application_id": first.id}


def _same_people(make_user, refs):
    """A ``make_user`` that hands out ``refs`` first: round B gets round A's council and jury."""
    queue = list(refs)
    return lambda role=None, **kwargs: queue.pop(0) if queue else make_user(role, **kwargs)


def _deliberation(app, make_user):
    """Rounds A and B of one organiser (secretary of both), with one chair and one jury, both decided and published.

    In each: a strike, a justification asked of ``juror`` on their sheet, a decision, a complaint.
    """
    from tests.factories import make_deliberating_round

    table = [[PASSING[0]] * 3, [PASSING[1]] * 3]
    hall = make_deliberating_round(app, make_user, table)
    owners = [make_user("producer") for _ in table]
    with app.app_context():
        organiser = _load(hall.organiser)
        round_b = make_round(organiser, title="Bình chọn thử vòng B")
        entries = make_entries(organiser, [_load(o) for o in owners], round_b, ("2", "2"))
        db.session.commit()
        round_b_id, entry_ids = round_b.id, [e.id for e in entries]
    council = [hall.chair, *hall.members, *hall.jurors]
    hall_b = deliberate(app, _same_people(make_user, council), hall.organiser, round_b_id, entry_ids, table)
    a = _decided_round(app, hall, hall.jurors[0], hall.owners[0])
    b = _decided_round(app, hall_b, hall.jurors[0], owners[0])
    ids = {**a, **{f"other_{name}": value for name, value in b.items()}}
    people = {"organiser": hall.organiser, "organiser_elsewhere": make_user("organiser", province_code="56"),
              "chair": hall.chair, "juror": hall.jurors[0], "juror_peer": hall.jurors[1],
              "owner": hall.owners[0], "producer": owners[0]}
    return World(ids, people)


def _certified(app, make_user):
    """A published round with a certificate issued, a public report of a suspected fake, a nomination upward."""
    from certificates.operations.fake_reports import report_suspected_fake
    from certificates.registry.slugs import product_slug
    from certificates.rules.verification import verify
    from tests.fixtures_nominations import THAI_NGUYEN
    from voting.operations.nominations import nominate
    from voting.operations.products import set_product_published

    hall = certify(app, make_user, entries=1, failing=1)
    ((certificate_id, _number),) = issue_certificates(app, hall)
    regional = _regional_round(app, make_user, THAI_NGUYEN)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        product = certificate.application.product
        set_product_published(_load(hall.owners[0]), product, True)
        report = report_suspected_fake(verify(certificate.token, today_vn()), certificate.token, "Chợ Đồng Xuân",
                                       "Nhãn in mờ, giá rẻ bất thường.", "")
        nomination, _notes = nominate(_load(hall.organiser), certificate.application,
                                      db.session.get(Round, regional), today_vn())
        failed = db.session.get(Application, hall.application_ids[1])
        db.session.commit()
        ids = {"certificate_id": certificate_id, "round_id": hall.round_id, "target_round_id": regional,
               "report_id": report.id, "nomination_id": nomination.id,
               "ref": product_slug(product), "photo_id": product.photos[0].id,
               "other_photo_id": failed.product.photos[0].id}
    people = {"owner": hall.owners[0], "producer": hall.owners[1], "organiser": hall.organiser,
              "organiser_elsewhere": make_user("organiser", province_code="56"), "public": None}
    return World(ids, people)


def _regional_round(app, make_user, province_code):
    """An open regional round (the Cục's) of the region holding ``province_code``."""
    from datetime import timedelta

    from voting.models import Province
    from voting.operations.rounds import create_round, open_registration

    user = make_user("organiser", jurisdiction="khu_vuc")
    with app.app_context():
        organiser = _load(user)
        organiser.region_id = db.session.scalar(select(Province.region_id).where(Province.code == province_code))
        authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.jurisdiction_level == "khu_vuc"))
        today = today_vn()
        round_ = create_round(organiser, {"title": "Bình chọn cấp khu vực", "year": today.year,
                                          "registration_opens_on": today - timedelta(days=5),
                                          "registration_closes_on": today + timedelta(days=25)}, authority)
        open_registration(organiser, round_)
        db.session.commit()
        return round_.id


def _admin(app, make_user):
    """An issuing authority and a juror's account: objects only the administrator edits."""
    people = {"admin": make_user("admin"), "organiser": make_user("organiser", province_code="19")}
    target = make_user("juror")
    with app.app_context():
        authority = db.session.scalar(select(IssuingAuthority.id).order_by(IssuingAuthority.id).limit(1))
    return World({"authority_id": authority, "user_id": target.id}, people)


WORLDS = {"dossier": _dossier, "scoring": _scoring, "deliberation": _deliberation, "certified": _certified,
          "admin": _admin}


# ---------- requests ----------

class Visitors:
    """One test client per person of a world, signed in (``None``: an anonymous visitor), with its CSRF token."""

    def __init__(self, app, people):
        self.app, self.people, self.clients, self.tokens = app, people, {}, {}

    def client(self, name):
        if name not in self.clients:
            client, person = self.app.test_client(), self.people[name]
            if person is not None:
                assert login(client, person.email, person.password).status_code == 302, name
            self.clients[name] = client
            self.tokens[name] = csrf_token(client, "/login" if person is None else "/account/password")
        return self.clients[name]

    def request(self, name, method, url, data=None):
        client = self.client(name)
        if method == "GET":
            return client.get(url)
        return client.post(url, data={"csrf_token": self.tokens[name], **(data or {})})


def form_on(client, url):
    """The fields of the form on ``url`` as its user would send them unchanged (CSRF token left out)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values, self.select, self.textarea = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
                if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                    self.values.setdefault(name, attrs.get("value") or "")
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.values):
                self.values[self.select] = attrs.get("value", "")
            elif tag == "textarea":
                self.textarea = name
                self.values[name] = ""

        def handle_endtag(self, tag):
            self.select = None if tag == "select" else self.select
            self.textarea = None if tag == "textarea" else self.textarea

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data

    parser = Fields()
    parser.feed(client.get(url).get_data(as_text=True))
    parser.values.pop("csrf_token", None)
    return parser.values


def mutable_rows(app):
    """Every mutable row of the database, to compare before and after a refused POST."""
    with app.app_context():
        return {table.name: sorted(map(repr, db.session.execute(table.select()).all()))
                for table in db.metadata.sorted_tables if table.name not in REFERENCE_TABLES}


def changed_tables(before, after):
    return sorted(name for name in before if before[name] != after[name])

"""Builders of realistic objects through the real operations, with real files."""
import io
import itertools
from dataclasses import dataclass
from datetime import timedelta

from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select

from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, Commune, IssuingAuthority, Province, Role, Round, User
from voting.operations.applications import start_application, submit_application
from voting.rules.commitments import commitment_codes
from voting.operations.producers import save_producer_profile
from voting.operations.products import add_product_file, save_product
from voting.operations.rounds import create_round, open_registration
from voting.core.uploads import check_document, check_photo, make_thumbnail, store
from tests.support.world_cache import shared_world

_SERIALS = itertools.count(1)

DESCRIPTION = ("Miến dong được làm thủ công từ tinh bột củ dong riềng trồng tại địa phương, "
               "phơi nắng tự nhiên, không chất tẩy trắng, sợi dai và trong.")


def jpeg_bytes(colour="teal", size=(320, 240)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def commune_in(province_code, index=0, kind="xã"):
    """The ``index``-th commune of that ``kind`` in the province, by code.

    A xã by default: test producers are rural, as the programme wants (a producer in a phường is
    flagged at screening and accepted only on the organiser's recorded decision).
    """
    province = db.session.scalar(select(Province).where(Province.code == province_code))
    return db.session.scalars(select(Commune).where(Commune.province_id == province.id, Commune.division_type == kind)
                              .order_by(Commune.code)).all()[index]


def make_producer(user, province_code="19", name="Hợp tác xã Miến dong Na Rì", registration_number=None,
                  phone="0912345678"):
    fields = {"name": name, "type_code": "htx", "registration_number": registration_number or "4700123456",
              "address": "Thôn Nà Cà", "representative": "Hoàng Văn Thắng", "phone": phone,
              "email": "htx@example.vn", "publish_address": False, "publish_phone": False, "publish_email": False}
    return save_producer_profile(user, None, fields, commune_in(province_code))


def attach_file(user, product, data, kind="photo", document_type=None, name="anh.jpg"):
    from voting.core.storage import storage

    files = storage("uploads")
    stream = io.BytesIO(data)
    limits = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 40_000_000}
    checked = check_photo(stream, **limits) if kind == "photo" else check_document(stream, **limits)
    storage_name = store(stream, checked, files)
    thumbnail = make_thumbnail(files, storage_name) if checked.kind == "image" else None
    return add_product_file(user, product, checked, storage_name, thumbnail, name, kind, document_type)


def attach_signed_scan(user, application, data=None, name="phieu-da-ky.pdf"):
    """Upload ``data`` (a one-page PDF by default) as the application's signed registration form."""
    from voting.core.storage import storage
    from voting.operations.registration_forms import attach_signed_form

    stream = io.BytesIO(data or pdf_bytes())
    checked = check_document(stream, max_bytes=20 * 1024 * 1024, max_pixels=40_000_000)
    storage_name = store(stream, checked, storage("uploads"))
    attach_signed_form(user, application, checked, storage_name, name)
    return storage_name


#: The photos of the products the factories make: small, since every round a test builds stores and
#: thumbnails three a product (WebP-encoding a 320×240 photo took 6.8 ms, a 160×120 one 1.7 ms).
FACTORY_PHOTO_SIZE = (160, 120)


def make_complete_product(user, producer, name="Miến dong Na Rì", group_code="2"):
    product = save_product(user, producer, None, {"name": name, "group_code": group_code,
                                                  "description": DESCRIPTION, "gtin": None, "is_set": False}, [])
    for colour in ("teal", "orange", "navy"):
        attach_file(user, product, jpeg_bytes(colour, FACTORY_PHOTO_SIZE), name=f"{colour}.jpg")
    attach_file(user, product, pdf_bytes(), kind="document", document_type="registration", name="dkkd.pdf")
    return product


def make_round(organiser, title="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên năm 2026", open_=True,
               signed_form_required=False):
    """An open provincial round; by default one that accepts entries without the signed registration form
    (new rounds require it: tests/voting/test_registration_form.py covers that)."""
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.province_id == organiser.province_id, IssuingAuthority.jurisdiction_level == "tinh"))
    today = today_vn()
    round_ = create_round(organiser, {"title": title, "year": today.year,
                                      "registration_opens_on": today - timedelta(days=10),
                                      "registration_closes_on": today + timedelta(days=20),
                                      "require_signed_registration_form": signed_form_required}, authority)
    if open_:
        open_registration(organiser, round_)
    return round_


@dataclass
class World:
    round_id: int
    product_id: int
    photo_id: int
    document_id: int
    application_id: int
    owner_id: int
    owner_email: str
    organiser_id: int


def build_world(app, owner_email, organiser_email, submitted=True, registration_number=None):
    """A Thái Nguyên producer with a complete product, applied (and submitted) to an open provincial round.

    :param registration_number: the producer's (unique in the database), for a world built beside another.
    """
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == owner_email))
        organiser = db.session.scalar(select(User).where(User.email == organiser_email))
        assert owner.role == Role.PRODUCER and organiser.role == Role.ORGANISER
        producer = make_producer(owner, registration_number=registration_number)
        product = make_complete_product(owner, producer)
        round_ = make_round(organiser)
        application = start_application(owner, producer, product, round_, today_vn())
        if submitted:
            submit_application(owner, application, today_vn(), commitment_codes())
            attach_signed_scan(owner, application)
        db.session.commit()
        return World(round_.id, product.id, product.photos[0].id, product.documents[0].id, application.id,
                     owner.id, owner.email, organiser.id)


def make_entries(organiser, owners, round_, groups=("2", "2", "1")):
    """Accepted entries of ``round_``: one product per owner, in the given groups; returns applications."""
    from voting.operations.applications import accept_application
    from voting.operations.rounds import close_registration

    applications = []
    for index, (owner, group) in enumerate(zip(owners, groups, strict=True)):
        # Registration numbers unique across the whole test, so one test may build several rounds.
        producer = make_producer(owner, name=f"Cơ sở thử {index}", registration_number=f"47{next(_SERIALS):08d}",
                                 phone=f"09876543{index:02d}")
        product = make_complete_product(owner, producer, name=f"Sản phẩm thử {index}", group_code=group)
        application = start_application(owner, producer, product, round_, today_vn())
        submit_application(owner, application, today_vn(), commitment_codes())
        applications.append(application)
    close_registration(organiser, round_)
    for application in applications:
        accept_application(organiser, application)
    return applications


@dataclass
class DeliberatingRound:
    """Ids and sign-in details of a round in deliberation built by :func:`make_deliberating_round`."""

    round_id: int
    organiser: object   # UserRef; also the council's secretary
    chair: object
    members: list
    jurors: list
    owners: list
    application_ids: list


@shared_world
def make_deliberating_round(app, make_user, table, groups=None, members=2, round_settings=None, second_table=None):
    """A Thái Nguyên round whose sheets are ``table``, moved to deliberation.

    ``table[i]`` lists, for entry ``i``, one row per juror of points for the
    round's four criteria in order (``None``: that juror submits no sheet, so
    an entry can fall below quorum). The council: a chair, the organiser as
    secretary and ``members`` more members. With ``second_table`` (same shape;
    rows of entries that do not go on may be ``None``) the round scores a second
    stage after field visits; set ``second_stage`` in ``round_settings``.
    """
    organiser = make_user(Role.ORGANISER)
    owners = [make_user() for _ in table]
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = make_round(acting)
        for name, value in (round_settings or {}).items():
            setattr(round_, name, value)
        applications = make_entries(acting, [db.session.get(User, o.id) for o in owners], round_,
                                    groups or ("2",) * len(table))
        db.session.commit()
        round_id, application_ids = round_.id, [a.id for a in applications]
    hall = deliberate(app, make_user, organiser, round_id, application_ids, table, members, second_table)
    hall.owners = owners
    return hall


#: The founding decision's signer as a UBND tỉnh signs it: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH.
FOUNDING_SIGNER = dict(capacity="kt", body="Ủy ban nhân dân", head_title="Chủ tịch", title="Phó Chủ tịch",
                       name="Nguyễn Văn Thành")


def found_council(actor, round_, number="1234/QĐ-UBND", founded_on=None):
    """Record the decision founding ``round_``'s council (a council votes only once founded)."""
    from voting.operations.founding import record_founding
    from voting.rules.signer import SignerBlock

    return record_founding(actor, round_, number, founded_on or today_vn() - timedelta(days=60),
                           SignerBlock(**FOUNDING_SIGNER))


def deliberate(app, make_user, organiser, round_id, application_ids, table, members=2, second_table=None):
    """Take a round in screening with accepted entries ``application_ids`` through scoring to deliberation.

    ``organiser`` (a UserRef who manages the round) becomes the council's secretary;
    a chair, ``members`` more members and one juror per column of ``table`` are created.
    """
    from voting.operations.council import assign_juror, set_council_member
    from voting.operations.rounds import open_scoring, open_second_scoring, start_deliberation, start_field_visits
    from voting.operations.scoring import open_sheet, save_draft, submit_sheet

    chair = make_user(Role.JUROR)
    extra = [make_user(Role.JUROR) for _ in range(members)]
    jurors = [make_user(Role.JUROR) for _ in range(max(len(rows) for rows in table))]
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = db.session.get(Round, round_id)
        applications = [db.session.get(Application, i) for i in application_ids]
        set_council_member(acting, round_, db.session.get(User, chair.id), "chair")
        set_council_member(acting, round_, acting, "secretary")
        for member in extra:
            set_council_member(acting, round_, db.session.get(User, member.id), "member")
        found_council(acting, round_)
        juror_users = [db.session.get(User, j.id) for j in jurors]
        for juror in juror_users:
            assign_juror(acting, round_, juror)
        open_scoring(acting, round_)
        leaves = round_.leaf_criteria

        def score(stage_table):
            for application, rows in zip(applications, stage_table, strict=True):
                for juror, row in zip(juror_users, rows or (), strict=False):
                    if row is None:
                        continue
                    sheet = open_sheet(juror, application, juror)
                    save_draft(juror, sheet, {str(c.id): str(v) for c, v in zip(leaves, row, strict=True)},
                               comment=f"Sản phẩm {application.entry_code}: bao bì đẹp, cần bổ sung truy xuất "
                                       "nguồn gốc.")
                    db.session.flush()
                    submit_sheet(juror, sheet, sheet.version)

        score(table)
        if second_table is not None:
            start_field_visits(acting, round_)
            open_second_scoring(acting, round_)
            score(second_table)
        start_deliberation(acting, round_, accept_below_quorum=True)
        db.session.commit()
        return DeliberatingRound(round_.id, organiser, chair, extra, jurors, [], list(application_ids))

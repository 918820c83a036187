"""A round with many criteria in deliberation, on a browser test's own server (issue 19: the results at 1280 px).

The official sheet has four criteria and the settings page only splits them, but the model takes a sheet of any
number; a round of eight gives the results table eight criterion columns, the widest it is tested at. Built through the operations by an app of the test's own, bound to the server's
database, as the tests' factories build any round.
"""
from dataclasses import dataclass
from decimal import Decimal

from tests.conftest import create_user
from tests.factories import deliberate, make_entries, make_round
from voting import create_app
from voting.extensions import db
from voting.models import Application, Role, Round, RoundCriterion, User
from voting.operations.deliberation import strike_entry

CRITERIA = ("Đáp ứng thị trường trong tỉnh", "Khả năng xuất khẩu", "Quy mô và năng lực sản xuất",
            "Hiệu quả kinh tế", "Lao động nông thôn", "Bảo vệ môi trường", "Tính văn hóa, thẩm mỹ",
            "Tiêu chuẩn chất lượng")


def server_app(server, prefix):
    """An app bound to ``server``'s database and file folders (the files it stores, the server serves), and a
    ``make_user(role)`` creating accounts there (password :data:`tests.conftest.PASSWORD`, e-mails starting with
    ``prefix``)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": server.database_url, "SERVER_NAME": "localhost",
                      "UPLOAD_DIR": str(server.folder / "uploads"),
                      "CERTIFICATE_DIR": str(server.folder / "certificates"),
                      "EXPORT_DIR": str(server.folder / "exports")})
    counter = iter(range(1, 1000))

    def make_user(role=Role.PRODUCER):
        return create_user(app, role, f"{prefix}-{role}{next(counter)}@example.vn", province_code="19")

    return app, make_user


@dataclass
class WideRound:
    round_id: int
    organiser: object  # a tests.conftest.UserRef


def wide_results_round(server, criteria=8, entries=4):
    """A Thái Nguyên round of ``criteria`` criteria of equal weight, its ``entries`` scored by three jurors and in
    deliberation, the first passing entry struck by the council (so the strike reason has its column too)."""
    app, make_user = server_app(server, "rong")

    weight = (Decimal(100) / criteria).quantize(Decimal("0.01"))
    sheet = [RoundCriterion(code=str(i), name=CRITERIA[(i - 1) % len(CRITERIA)], max_points=weight, position=i * 100)
             for i in range(1, criteria + 1)]
    # Every entry passes (eight criteria: 80 to 96 points), its jurors half a point a criterion apart.
    table = [[[weight * Decimal("0.8") + Decimal("0.5") * ((entry + juror) % 5) for _ in range(criteria)]
              for juror in range(3)] for entry in range(entries)]
    organiser, owners = make_user(Role.ORGANISER), [make_user() for _ in range(entries)]
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = make_round(acting)
        round_.criteria = []
        db.session.flush()  # the official sheet's codes gone before the new sheet takes them
        round_.criteria = sheet
        applications = make_entries(acting, [db.session.get(User, o.id) for o in owners], round_, ("2",) * entries)
        db.session.commit()
        round_id, application_ids = round_.id, [a.id for a in applications]
    hall = deliberate(app, make_user, organiser, round_id, application_ids, table)
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        strike_entry(db.session.get(User, hall.chair.id), round_, db.session.get(Application, hall.application_ids[0]),
                     "Cơ sở chưa nộp giấy chứng nhận an toàn thực phẩm còn hiệu lực theo yêu cầu của Hội đồng.")
        db.session.commit()
    with app.app_context():
        db.engine.dispose()
    return WideRound(hall.round_id, hall.organiser)


#: Guidance as an organiser might write it: one long enough to fold on a phone, one short, one hostile.
LONG_GUIDANCE = ("Xem sản lượng tiêu thụ hai năm gần nhất và số tỉnh, thành phố có đại lý hoặc điểm bán; sản phẩm "
                 "đã có hợp đồng xuất khẩu được từ 30 điểm trở lên. Đối chiếu với hóa đơn, hợp đồng trong hồ sơ.")
SHORT_GUIDANCE = "Chấm theo chứng nhận chất lượng."
HOSTILE_GUIDANCE = '<script>document.title="x"</script><b>in đậm</b>'


@dataclass
class GuidedRound:
    round_id: int
    application_id: int
    juror: object  # a tests.conftest.UserRef
    criteria: dict  # code -> id


def guided_scoring_round(server):
    """A Thái Nguyên round in scoring, guidance on criteria 1 (long), 2 (short) and 3 (markup), none on 4;
    one juror scores its one entry."""
    from voting.operations.council import assign_juror
    from voting.operations.rounds import open_scoring, set_criterion_guidance

    app, make_user = server_app(server, "huongdan")
    organiser, owner, juror = make_user(Role.ORGANISER), make_user(), make_user(Role.JUROR)
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = make_round(acting)
        round_.min_sheets_per_entry = 1  # one juror is enough to open scoring
        [application] = make_entries(acting, [db.session.get(User, owner.id)], round_, ("2",))
        ids = {c.code: c.id for c in round_.criteria}
        set_criterion_guidance(acting, round_, {ids["1"]: LONG_GUIDANCE, ids["2"]: SHORT_GUIDANCE,
                                                ids["3"]: HOSTILE_GUIDANCE})
        assign_juror(acting, round_, db.session.get(User, juror.id))
        open_scoring(acting, round_)
        db.session.commit()
        built = GuidedRound(round_.id, application.id, juror, ids)
        db.engine.dispose()
    return built

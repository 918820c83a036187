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


@dataclass
class WideRound:
    round_id: int
    organiser: object  # a tests.conftest.UserRef


def wide_results_round(server, folder, criteria=8, entries=4):
    """A Thái Nguyên round of ``criteria`` criteria of equal weight, its ``entries`` scored by three jurors and in
    deliberation, the first passing entry struck by the council (so the strike reason has its column too)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": server.database_url, "SERVER_NAME": "localhost",
                      "UPLOAD_DIR": str(folder / "uploads"), "CERTIFICATE_DIR": str(folder / "certificates"),
                      "EXPORT_DIR": str(folder / "exports")})
    counter = iter(range(1, 1000))

    def make_user(role=Role.PRODUCER):
        return create_user(app, role, f"rong-{role}{next(counter)}@example.vn", province_code="19")

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

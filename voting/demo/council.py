"""The demo's councils as a province founds them: a decision of the UBND tỉnh seats a council chaired by a
Phó Chủ tịch UBND, with a leader of the Sở Công Thương as vice-chair and members from other agencies, the
press and the cooperative union; the council then appoints its jury (with a Trưởng ban) and its tổ giúp
việc. Only the secretary (Sở Công Thương staff, the organiser's account) works on the platform.
"""
from datetime import timedelta

from voting.models import CouncilRole
from voting.operations.founding import record_founding, record_jury_appointment
from voting.operations.council import (
    Person,
    add_support_member,
    appoint_jury_head,
    assign_juror,
    seat_council_member,
    set_council_member,
)
from voting.rules.signer import SignerBlock

#: ``(seat, name, position, agency)``: ``{province}`` is the province's full name ("tỉnh Thái Nguyên").
MEMBERS = (
    (CouncilRole.CHAIR, "Phạm Hoàng Sơn", "Phó Chủ tịch Ủy ban nhân dân {province}", "Ủy ban nhân dân {province}"),
    (CouncilRole.VICE_CHAIR, "Đỗ Thị Minh Hằng", "Giám đốc Sở Công Thương", "Sở Công Thương {province}"),
    (CouncilRole.STANDING_MEMBER, "Lương Văn Khải", "Trưởng phòng Quản lý công nghiệp",
     "Sở Công Thương {province}"),
    (CouncilRole.MEMBER, "Hoàng Thị Lan", "Phó Giám đốc Sở Tài chính", "Sở Tài chính {province}"),
    (CouncilRole.MEMBER, "Nông Văn Tiến", "Phó Chủ tịch Liên minh Hợp tác xã", "Liên minh Hợp tác xã {province}"),
    (CouncilRole.MEMBER, "Triệu Thu Hà", "Phó Tổng Biên tập", "Báo và Phát thanh, Truyền hình {province}"),
)
SUPPORT = (("Ma Thị Ngọc", "Chuyên viên Phòng Quản lý công nghiệp", "Sở Công Thương {province}", True),
           ("Lý Văn Cường", "Chuyên viên Trung tâm Khuyến công", "Sở Công Thương {province}", False))
#: How a UBND tỉnh signs: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / the chair's own name.
FOUNDING_SIGNER = SignerBlock("kt", "Ủy ban nhân dân", "Chủ tịch", "Phó Chủ tịch", "Phạm Hoàng Sơn")
#: Members who need five of seven present: the vote is valid with two of them away.
QUORUM = 5


def seat_provincial_council(organiser, round_, jurors, founded_on, number_seq):
    """Found ``round_``'s council, seat it and appoint the jury (the last of ``jurors`` heads it).

    The organiser sits as Ủy viên kiêm Thư ký and records the council's acts; returns the members
    in the founding decision's order.
    """
    province = round_.authority.province.full_name if round_.authority and round_.authority.province else ""
    members = [seat_council_member(organiser, round_, Person(name, position.format(province=province),
                                                             agency.format(province=province)), seat)
               for seat, name, position, agency in MEMBERS]
    members.append(set_council_member(organiser, round_, organiser, CouncilRole.SECRETARY))
    record_founding(organiser, round_, f"{number_seq}/QĐ-UBND", founded_on, FOUNDING_SIGNER)
    for name, position, agency, lead in SUPPORT:
        add_support_member(organiser, round_, Person(name, position, agency.format(province=province)), is_lead=lead)
    for juror in jurors:
        assign_juror(organiser, round_, juror)
    appoint_jury_head(organiser, next(j for j in round_.jurors if j.user_id == jurors[-1].id))
    record_jury_appointment(organiser, round_, "01/QĐ-HĐBC", founded_on + timedelta(days=5))
    return members

"""The demo organisers' acceptances, with the decision a flagged producer needs (a ward, an industrial zone)."""
from voting.operations.applications import accept_application
from voting.rules.eligibility import rural_flags

#: What the demo's organisers record when they accept a flagged producer as rural industry all the same.
RURAL_REASONS = {
    "ward": "Phường mới lập từ các xã cũ khi sắp xếp đơn vị hành chính năm 2025; xưởng sản xuất ở thôn, "
            "dùng lao động và nguyên liệu nông thôn tại chỗ.",
    "industrial_zone": "Cơ sở chuyển xưởng vào cụm, khu công nghiệp theo quy hoạch của địa phương; lao động và "
                       "nguyên liệu vẫn lấy từ các xã lân cận.",
}


def accept(organiser, application):
    """Accept ``application`` as the demo's organiser would: with a recorded reason if the producer is flagged."""
    reason = " ".join(RURAL_REASONS[flag] for flag in rural_flags(application.producer))
    return accept_application(organiser, application, reason)

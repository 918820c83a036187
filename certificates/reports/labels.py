"""The words of the summary report, shared by its page (templates/reports/index.html) and its Excel file
(:mod:`certificates.reports.workbook`): the same headings, in the reader's language. Levels are named as
in the registry (:data:`certificates.code_labels.REGISTRY_LEVELS`). The template reads them as ``words``."""
from flask_babel import lazy_gettext as _l

#: Where a certificate stands today (:data:`certificates.reports.figures.STANDINGS`).
STANDING_LABELS = {"valid": _l("Còn hiệu lực"), "expiring": _l("Hết hiệu lực trong 6 tháng tới"),
                   "expired": _l("Đã hết hiệu lực"), "suspended": _l("Tạm đình chỉ"), "revoked": _l("Đã thu hồi")}
#: The page's headings and the words of its tables.
WORDS = {
    "title": _l("Báo cáo tổng hợp"),
    "standing_heading": _l("Tình trạng giấy chứng nhận hôm nay"), "standing": _l("Tình trạng"),
    "years_heading": _l("Giấy chứng nhận theo năm và cấp"), "year": _l("Năm"), "sum": _l("Tổng"),
    "provinces_heading": _l("Theo tỉnh, thành phố"), "province": _l("Tỉnh, thành phố"),
    "groups_heading": _l("Theo nhóm sản phẩm"), "group": _l("Nhóm"),
    # The units with certificates from before the 2025 merger (Figures.by_former_province).
    "former_heading": _l("Theo tỉnh cũ, trước khi sắp xếp đơn vị hành chính năm 2025"),
    "former_sheet": _l("Theo tỉnh cũ"),
    "former_note": _l("Giấy chứng nhận cấp trước ngày 01/07/2025 mang tên tỉnh cũ: mỗi giấy được tính một lần, dưới "
                      "tỉnh cũ ghi trên giấy và trong tổng của đơn vị hiện nay."),
    "former_unit": _l("Đơn vị hiện nay"), "former_province": _l("Tỉnh cũ"),
    "since_merger": _l("Từ khi sắp xếp (01/07/2025)"),
    # The products losing their validity before the next registration (certificates.reports.reentry).
    "reentry_heading": _l("Sản phẩm sẽ hết hiệu lực trước hạn đăng ký đợt tới"),
    "reentry_sheet": _l("Sắp hết hiệu lực"),
    "reentry_round": _l("Hạn nộp hồ sơ đợt cấp tỉnh tới: %(day)s (%(round)s)."),
    "reentry_cycle": _l("Chưa có đợt cấp tỉnh nào được lên lịch: tính đến %(day)s, hết hai năm tới (mỗi cấp tổ "
                        "chức hai năm một lần)."),
    "reentry_count": _l("%(count)s sản phẩm còn hiệu lực hôm nay sẽ hết hiệu lực trước hạn này."),
    "reentry_shown": _l("Danh sách dưới đây gồm %(shown)s sản phẩm hết hiệu lực sớm nhất."),
    "reentry_none": _l("Không có sản phẩm nào sẽ hết hiệu lực trước hạn này."),
    "reentry_note": _l("Giấy chứng nhận còn hiệu lực sau cùng của sản phẩm hết hạn trước hạn nộp hồ sơ: cơ sở cần "
                       "đăng ký dự thi lại. Lọc theo nhóm sản phẩm và tỉnh, thành phố; không lọc theo năm và cấp."),
    "product": _l("Sản phẩm"), "valid_until": _l("Có giá trị đến"),
    "count": _l("Số lượng"), "total": _l("Tổng cộng"), "unknown_province": _l("Chưa xác định"),
    "none": _l("Không có giấy chứng nhận nào phù hợp."),
    "whole_country": _l("Cả nước"),
    # A region's organiser reads the provinces in the region today (its membership is the administrator's to edit).
    "region_today": _l("%(provinces)s (các tỉnh, thành phố thuộc khu vực theo danh sách hiện nay)"),
    "area": _l("Phạm vi: %(area)s."), "filters": _l("Lọc: %(filters)s."), "as_of": _l("Số liệu đến ngày %(day)s."),
    "results_heading": _l("Kết quả các đợt bình chọn trên nền tảng"),
    "results_none": _l("Chưa có đợt bình chọn nào đã có quyết định công nhận phù hợp."),
    "results_note": _l("Các đợt đã có quyết định công nhận: sản phẩm dự thi (được chấp nhận hồ sơ), đạt điểm sàn "
                       "theo biên bản họp Hội đồng, được công nhận theo quyết định, và điểm bình quân của các sản "
                       "phẩm được công nhận. Sản phẩm được tính theo nhóm sản phẩm, tỉnh, thành phố và loại hình của cơ "
                       "sở khi Hội đồng biểu quyết, kể cả ở các đợt cấp khu vực và quốc gia."),
    "results_years": _l("Theo năm và cấp"), "results_provinces": _l("Theo tỉnh, thành phố của cơ sở"),
    "results_types": _l("Theo loại hình cơ sở"),
    "year_level": _l("Năm, cấp"), "producer_type": _l("Loại hình"), "entries": _l("Dự thi"), "passed": _l("Đạt điểm"),
    "certified": _l("Được công nhận"), "share": _l("Tỷ lệ công nhận"), "mean_score": _l("Điểm bình quân"),
    # The Excel file's sheets of the results (a sheet's name: at most 31 characters, unique in the file).
    "results_years_sheet": _l("Kết quả theo năm và cấp"), "results_groups_sheet": _l("Kết quả theo nhóm sản phẩm"),
    "results_provinces_sheet": _l("Kết quả theo tỉnh của cơ sở"),
    "results_types_sheet": _l("Kết quả theo loại hình cơ sở"),
    # The path upward and the producers with several products (the page's words, for the Excel file).
    "upward_heading": _l("Đề cử lên cấp trên"),
    "upward_none": _l("Chưa có sản phẩm nào được đề cử lên đợt bình chọn cấp trên."),
    "upward_note": _l("Sản phẩm được các tỉnh, thành phố đề cử (kể cả danh sách trên giấy), được đợt cấp trên chấp "
                      "nhận dự thi, và được công nhận theo quyết định của đợt đó; không tính đề cử đã rút."),
    # Read from the higher round's vote (certificates.reports.upward): its passing entries of the province's producers.
    "upward_passed_note": _l("“Đạt điểm”: sản phẩm của cơ sở thuộc tỉnh, thành phố đạt điểm sàn ở đợt cấp trên (ở "
                             "đợt cấp trên, mọi sản phẩm dự thi đều do các tỉnh, thành phố đề cử); “—”: đợt đó chưa "
                             "có quyết định công nhận, hoặc đã biểu quyết trước khi nền tảng ghi số này."),
    "upward_years": _l("Theo năm và cấp của đợt cấp trên"), "upward_provinces": _l("Theo tỉnh, thành phố đề cử"),
    "nominated": _l("Được đề cử"), "entered": _l("Được chấp nhận dự thi"),
    "upward_years_sheet": _l("Đề cử theo năm và cấp"), "upward_provinces_sheet": _l("Đề cử theo tỉnh, thành phố"),
    "holders_heading": _l("Cơ sở có nhiều sản phẩm được công nhận"),
    "holders_none": _l("Không có cơ sở nào có từ hai sản phẩm được công nhận trở lên."),
    "holders_count": _l("%(count)s cơ sở có từ hai sản phẩm được công nhận trở lên."),
    "holders_shown": _l("Danh sách dưới đây gồm %(shown)s cơ sở có nhiều sản phẩm nhất."),
    "holders_note": _l("Một sản phẩm được tính một lần dù có nhiều giấy chứng nhận. Cơ sở chỉ có giấy chứng nhận bản "
                       "giấy được nhận biết theo tên và tỉnh, thành phố ghi trên giấy: hai cách viết tên khác nhau "
                       "được tính là hai cơ sở."),
    "holders_sheet": _l("Cơ sở có nhiều sản phẩm"), "producer": _l("Cơ sở"),
    "products_certified": _l("Sản phẩm được công nhận"), "on_paper": _l("bản giấy"),
    # The producers holding certified products, by type and by commune kind (certificates.reports.distribution).
    "distribution_heading": _l("Cơ sở có sản phẩm được công nhận"),
    "distribution_none": _l("Không có cơ sở nào có sản phẩm được công nhận phù hợp."),
    "distribution_note": _l("Mỗi cơ sở được tính một lần trong mỗi bảng, theo loại hình và địa chỉ hiện nay trên nền "
                            "tảng. Cơ sở chỉ có giấy chứng nhận bản giấy (nhận biết theo tên và tỉnh, thành phố ghi "
                            "trên giấy) hoặc chưa có địa chỉ xã, phường được tính vào dòng “Không rõ”."),
    "distribution_types": _l("Theo loại hình cơ sở"), "distribution_kinds": _l("Theo loại đơn vị hành chính cấp xã"),
    "commune_kind": _l("Xã, phường, đặc khu"), "producers": _l("Số cơ sở"), "producers_share": _l("Tỷ lệ"),
    "not_known": _l("Không rõ"),
    "distribution_types_sheet": _l("Cơ sở theo loại hình"),
    "distribution_kinds_sheet": _l("Cơ sở theo loại đơn vị cấp xã"),
    "scope_note": _l("Giấy chứng nhận cấp trên nền tảng và giấy chứng nhận bản giấy đã nhập, mỗi giấy một lần; "
                     "tỉnh, thành phố đã sáp nhập được tính vào đơn vị hiện nay."),
}

"""Translated messages for domain errors, eligibility problems and rejected uploads."""
from flask import flash
from flask_babel import lazy_gettext as _l

PROBLEM_MESSAGES = {
    "not_own_product": _l("Sản phẩm này không thuộc cơ sở của bạn."),
    "nomination_only": _l("Đợt bình chọn cấp khu vực và cấp quốc gia chỉ nhận hồ sơ do cấp dưới đề cử."),
    "outside_jurisdiction": _l("Địa chỉ cơ sở của bạn không thuộc địa bàn của đợt bình chọn này."),
    "round_not_open": _l("Đợt bình chọn này hiện không nhận hồ sơ."),
    "already_applied": _l("Sản phẩm này đã có hồ sơ đăng ký trong đợt bình chọn này."),
    "profile": _l("Hồ sơ cơ sở chưa đầy đủ (tên, mã số đăng ký, địa chỉ, người đại diện, điện thoại)."),
    "description": _l("Bản thuyết minh sản phẩm còn thiếu hoặc quá ngắn (ít nhất 50 ký tự)."),
    "photos": _l("Cần ít nhất 3 ảnh màu sản phẩm chụp từ các góc khác nhau."),
    "registration_document": _l("Thiếu bản sao giấy chứng nhận đăng ký của cơ sở."),
    "set_items": _l("Bộ sản phẩm cần liệt kê ít nhất 2 sản phẩm thành phần."),
    # The registration form's commitments (the form names each one; these are the operation's own check)
    "commitment_own_production": _l("Hãy xác nhận sản phẩm do cơ sở trực tiếp sản xuất."),
    "commitment_no_ip_infringement": _l("Hãy xác nhận sản phẩm không vi phạm quyền sở hữu trí tuệ."),
    "commitment_series_production": _l("Hãy xác nhận sản phẩm được sản xuất hàng loạt, ổn định."),
    "commitment_sold_on_market": _l("Hãy xác nhận sản phẩm đã được tiêu thụ trên thị trường."),
    "commitment_truthful_dossier": _l("Hãy cam kết thông tin trong hồ sơ là đúng sự thật và cơ sở chịu trách nhiệm "
                                      "trước pháp luật."),
    # Nominations to the next level
    "not_level_below": _l("Đợt cấp trên này không nhận đề cử từ cấp của đợt này (tỉnh đề cử lên khu vực, "
                          "khu vực đề cử lên quốc gia)."),
    "source_not_certified": _l("Đợt bình chọn này chưa cấp giấy chứng nhận."),
    "no_certificate": _l("Sản phẩm chưa được cấp giấy chứng nhận."),
    "certificate_not_valid": _l("Giấy chứng nhận của sản phẩm đang bị tạm đình chỉ hoặc đã bị thu hồi."),
    "certificate_expires": _l("Giấy chứng nhận hết hiệu lực trước hạn nhận hồ sơ của đợt cấp trên."),
    "other_region": _l("Tỉnh, thành phố của sản phẩm không thuộc khu vực của đợt bình chọn này."),
    "already_nominated": _l("Sản phẩm đã được đề cử vào đợt này."),
    "quota_reached": _l("Tỉnh, thành phố đã đề cử đủ số sản phẩm tối đa của đợt."),
}

ERROR_MESSAGES = {
    "dossier_locked": _l("Hồ sơ đã nộp nên đang bị khóa; không sửa được cho tới khi cơ quan tổ chức trả lại."),
    "dossier_in_round": _l("Sản phẩm đang dự bình chọn trong đợt “%(round)s” nên hồ sơ bị khóa cho tới khi đợt đó "
                           "cấp giấy chứng nhận."),
    "invalid_transition": _l("Thao tác này không áp dụng được ở trạng thái hiện tại của hồ sơ."),
    "rural_decision_required": _l("Cơ sở này bị đánh dấu có thể không sản xuất ở khu vực nông thôn. Muốn chấp nhận "
                                  "hồ sơ, hãy xác nhận quyết định coi cơ sở là cơ sở công nghiệp nông thôn và ghi "
                                  "rõ lý do."),
    "signed_form_missing": _l("Đợt bình chọn này chỉ chấp nhận hồ sơ khi cơ sở đã tải lên phiếu đăng ký có chữ ký; "
                              "hồ sơ này chưa có. Hãy trả lại hồ sơ để cơ sở bổ sung, hoặc chờ cơ sở tải lên."),
    "signed_form_not_asked": _l("Hồ sơ này không có phiếu đăng ký trên hệ thống (nộp trước khi có phiếu, hoặc được "
                                "đề cử từ cấp dưới)."),
    "too_many_files": _l("Đã đạt số tệp tối đa (%(limit)s) cho mục này."),
    "duplicate_file": _l("Tệp này đã được tải lên cho sản phẩm."),
    # Rounds, councils and scoring
    "not_scoring_phase": _l("Đợt bình chọn này hiện không ở giai đoạn chấm điểm."),
    "not_an_entry": _l("Hồ sơ này không phải là sản phẩm dự bình chọn của đợt."),
    "not_advanced": _l("Sản phẩm này không vào vòng chấm thứ hai."),
    "not_assigned": _l("Bạn không được phân công chấm sản phẩm này."),
    "conflicted": _l("Bạn có xung đột lợi ích với cơ sở sản xuất sản phẩm này (tự khai báo hoặc do hệ thống "
                     "phát hiện), nên không chấm sản phẩm này."),
    "sheet_submitted": _l("Phiếu chấm này đã nộp và đã khóa, không sửa được nữa. Nếu cần sửa, hãy đề nghị "
                          "Trưởng Ban Giám khảo mở lại phiếu."),
    "not_your_sheet": _l("Đây không phải phiếu chấm của bạn."),
    "sheet_changed": _l("Phiếu đã được nộp hoặc thay đổi ở nơi khác (trên thiết bị hoặc thẻ trình duyệt khác) "
                        "kể từ khi bạn mở trang. Hãy kiểm tra lại nội dung bên dưới rồi mới nộp."),
    "chair_only": _l("Chỉ Chủ tịch Hội đồng mới làm được thao tác này."),
    "reason_required": _l("Hãy ghi lý do."),
    "secretary_only": _l("Chỉ thư ký Hội đồng mới nhập được phiếu chấm giấy."),
    "not_juror": _l("Bạn không phải là thành viên Ban Giám khảo của đợt bình chọn này."),
    "conflicts_closed": _l("Hội đồng đã biểu quyết kết quả đợt bình chọn này: không còn khai báo xung đột lợi ích."),
    "declared_conflict": _l("Xung đột lợi ích do giám khảo tự khai báo thì không bác bỏ được."),
    "not_staff": _l("Chỉ tài khoản cán bộ (giám khảo, cán bộ tổ chức, quản trị viên) mới được cử vào Hội đồng "
                    "hoặc Ban Giám khảo."),
    "chair_taken": _l("Hội đồng đã có Chủ tịch."),
    "jury_head_only": _l("Chỉ Trưởng Ban Giám khảo mới làm được thao tác này."),
    "account_seated": _l("Tài khoản này đã gắn với một người khác trong danh sách."),
    "name_required": _l("Hãy nhập họ và tên."),
    "founding_number_required": _l("Hãy nhập số và ngày của quyết định thành lập Hội đồng."),
    "jury_number_required": _l("Hãy nhập số và ngày của văn bản thành lập Ban Giám khảo."),
    "jury_before_founding": _l("Ban Giám khảo không thể được thành lập trước ngày thành lập Hội đồng."),
    "council_not_founded": _l("Hãy ghi quyết định thành lập Hội đồng trước khi đính kèm bản quét."),
    "rules_fixed": _l("Đã mở chấm điểm: bước điểm, vòng hai và phiếu chấm không thay đổi được nữa."),
    "unknown_criterion": _l("Tiêu chí không có trên phiếu chấm của đợt."),
    "subcriteria_sum": _l("Tổng điểm tối đa của các tiêu chí con phải bằng điểm tối đa của tiêu chí %(criterion)s."),
    "duplicate_code": _l("Mã tiêu chí con bị trùng."),
    "guidance_too_long": _l("Hướng dẫn chấm của tiêu chí %(criterion)s dài quá %(max)s ký tự."),
    # Deliberation, results and complaints
    "text_too_long": _l("Nội dung quá dài (tối đa %(limit)s ký tự)."),
    "sheet_not_submitted": _l("Phiếu chấm này chưa nộp."),
    "justification_required": _l("Hãy ghi nội dung giải trình."),
    "no_justification_requested": _l("Hội đồng chưa đề nghị giải trình phiếu chấm này."),
    "not_passing": _l("Chỉ loại được sản phẩm đạt từ điểm đạt trở lên ra khỏi danh sách đề nghị."),
    "already_struck": _l("Sản phẩm này đã bị loại khỏi danh sách đề nghị."),
    "prize_mode_unknown": _l("Cách trao giải không hợp lệ."),
    "prize_tiers_missing": _l("Hãy nhập ít nhất một giải, hoặc chọn “Không có giải”."),
    "prize_name_duplicate": _l("Tên giải bị trùng."),
    "prize_places_invalid": _l("Giải “%(name)s”: số giải phải là số nguyên từ 1 trở lên."),
    "prize_score_invalid": _l("Giải “%(name)s”: điểm tối thiểu phải từ 0 đến 100."),
    "prize_scores_not_falling": _l("Giải “%(name)s”: điểm tối thiểu của giải sau phải thấp hơn giải trước."),
    "count_invalid": _l("Số thành viên và số phiếu phải là số nguyên không âm."),
    "more_present_than_members": _l("Số thành viên có mặt vượt quá số thành viên Hội đồng (%(members)s)."),
    "council_not_founded_vote": _l("Hội đồng chưa có quyết định thành lập: hãy ghi quyết định thành lập Hội đồng "
                                   "(trang Hội đồng và giám khảo) trước khi ghi kết quả biểu quyết."),
    "attendance_mismatch": _l("Danh sách điểm danh có %(present)s thành viên có mặt, khác với số thành viên có mặt "
                              "đã nhập."),
    "not_a_member": _l("Người được đánh dấu có mặt không phải thành viên Hội đồng của đợt này."),
    "meeting_ends_before_start": _l("Giờ kết thúc cuộc họp phải sau giờ bắt đầu."),
    "quorum_not_met": _l("Chỉ có %(present)s thành viên có mặt, chưa đủ %(quorum)s thành viên để biểu quyết hợp lệ."),
    "votes_exceed_present": _l("Tổng số phiếu vượt quá số thành viên có mặt (%(present)s)."),
    "date_in_future": _l("Ngày họp không được sau ngày hôm nay."),
    "nothing_proposed": _l("Danh sách đề nghị đang trống: không có sản phẩm nào đạt và chưa bị loại."),
    "vote_not_carried": _l("Biểu quyết này không được thông qua, nên không ra quyết định được."),
    "not_latest_vote": _l("Chỉ ghi quyết định cho lần biểu quyết mới nhất, chưa có quyết định."),
    "decision_number_required": _l("Hãy nhập số quyết định."),
    "decision_date_invalid": _l("Ngày ký quyết định phải từ ngày họp Hội đồng tới hôm nay."),
    "results_not_announced": _l("Theo thứ tự của đợt này, kết quả phải được công bố để nhận khiếu nại trước khi ghi "
                                "quyết định công nhận."),
    "decision_waits_window": _l("Chưa hết thời hạn khiếu nại (hết ngày %(closes_on)s): quyết định công nhận được ghi "
                                "sau thời hạn này."),
    "decision_waits_complaints": _l("Còn khiếu nại chưa được trả lời: Hội đồng trả lời mọi khiếu nại rồi mới ghi "
                                    "quyết định công nhận."),
    "decision_before_complaints_close": _l("Ngày ký quyết định phải sau ngày hết hạn khiếu nại (%(closes_on)s)."),
    "decision_number_taken": _l("Số quyết định này đã được dùng trong đợt bình chọn."),
    "signer_incomplete": _l("Người ký chưa đủ: cần họ tên, chức vụ và các dòng thẩm quyền ký (TM., KT. …) "
                            "theo Nghị định 30/2020/NĐ-CP."),
    "nothing_to_publish": _l("Không có quyết định mới nào để công bố."),
    "not_your_application": _l("Hồ sơ này không thuộc cơ sở của bạn."),
    "results_not_published": _l("Kết quả của đợt bình chọn chưa được công bố."),
    "complaint_window_closed": _l("Thời hạn khiếu nại đã kết thúc ngày %(closes_on)s."),
    "complaint_pending": _l("Khiếu nại trước của bạn về sản phẩm này đang chờ Hội đồng trả lời."),
    "complaint_text_required": _l("Hãy ghi nội dung khiếu nại."),
    "change_needs_upheld": _l("Chỉ xét lại kết quả khi chấp nhận khiếu nại."),
    "answer_required": _l("Hãy ghi câu trả lời."),
    "certificates_issued": _l("Giấy chứng nhận của đợt đã được cấp: hãy ghi “chấp nhận, kết quả không thay đổi”, "
                              "rồi thu hồi hoặc đính chính giấy chứng nhận (lý do: khiếu nại được chấp nhận)."),
    "not_certified": _l("Sản phẩm này không có trong danh sách được công nhận của quyết định đã công bố."),
    "already_issued": _l("Sản phẩm này đã có giấy chứng nhận."),
    "reason_category_unknown": _l("Hãy chọn lý do trong danh sách."),
    "reissue_instead": _l("Giấy chứng nhận bị tạm đình chỉ vì khóa ký bị lộ: hãy cấp lại, không cho hiệu lực trở lại."),
    "not_correctable": _l("Không đính chính được các mục: %(fields)s."),
    "nothing_corrected": _l("Chưa có mục nào được sửa: hãy sửa ít nhất một mục (tên sản phẩm, nhóm sản phẩm, tên "
                            "cơ sở hoặc địa chỉ) khác với giấy chứng nhận hiện tại."),
    "certificate_expired": _l("Giấy chứng nhận đã hết hiệu lực từ ngày %(expired_on)s nên không đính chính được."),
    "certificate_revoked": _l("Giấy chứng nhận đã bị thu hồi nên không đính chính được."),
    "certificate_suspended": _l("Giấy chứng nhận đang bị tạm đình chỉ: hãy cho hiệu lực trở lại trước khi "
                                "đính chính."),
    "certificate_superseded": _l("Giấy chứng nhận này đã được thay thế bằng giấy số %(number)s; hãy đính chính "
                                 "giấy mới."),
    "certificate_file_changed": _l("Tệp giấy chứng nhận %(number)s đã bị thay đổi trên máy chủ; hãy báo quản trị viên."),
    "organiser_only": _l("Chỉ cơ quan tổ chức đợt bình chọn mới làm được thao tác này."),
    "authority_signs_elsewhere": _l("Cơ quan cấp của đợt bình chọn chưa cài chứng thư số trên hệ thống: hãy tải "
                                    "bản Word hoặc PDF về, ký số bằng công cụ của cơ quan."),
    "document_not_ready": _l("Văn bản chưa đủ thông tin để ký (chưa ghi số, ngày hoặc người ký)."),
    "signing_failed": _l("Không ký số được: chứng thư số của cơ quan chưa dùng được (sai mật khẩu, thiếu thiết bị "
                         "ký hoặc chứng thư đã bị thu hồi). Quản trị viên xem nhật ký và lệnh "
                         "'documents check-signers'."),
    "signed_document_changed": _l("Tệp văn bản ký số đã bị thay đổi trên máy chủ; hãy báo quản trị viên."),
    # An uploaded copy signed with the office's own tools (voting/core/pades/uploads.py)
    "upload_not_pdf": _l("Tệp này không phải PDF."),
    "upload_too_slow": _l("Đọc tệp này mất quá nhiều thời gian và đã dừng. Tệp có thể bị hỏng hoặc quá phức tạp."),
    "upload_unreadable": _l("Không đọc được tệp PDF này (tệp hỏng hoặc không đúng định dạng)."),
    "upload_unsigned": _l("Tệp chưa có chữ ký số. Hãy ký số tệp bằng công cụ của cơ quan rồi tải lên."),
    "upload_signer_revoked": _l("Chứng thư số của người ký (%(signer)s) đã bị thu hồi: không nhận bản ký này."),
    "upload_signature_broken": _l("Chữ ký số cuối cùng của tệp không hợp lệ: nội dung đã bị thay đổi sau khi ký."),
    "upload_signer_untrusted": _l("Chứng thư số của người ký (%(signer)s) không thuộc tổ chức chứng thực mà nền tảng "
                                  "tin cậy, hoặc đã hết hạn khi ký. Quản trị viên cấu hình danh sách trust_roots."),
    "upload_no_signing_time": _l("Chữ ký số không ghi thời gian ký: không nhận bản ký này."),
    "upload_not_this_certificate": _l("Tệp không phải bản PDF giấy chứng nhận %(number)s do nền tảng phát hành (ký số "
                                      "trực tiếp trên tệp tải về từ nền tảng, không in lại hay chuyển đổi)."),
    "upload_changed": _l("Tệp là bản giấy chứng nhận %(number)s nhưng đã bị sửa nội dung trước khi ký, không chỉ "
                         "thêm chữ ký số."),
    "certificate_not_rendered": _l("Giấy chứng nhận chưa có bản PDF để ký."),
    "upload_facts_differ": _l("Bản ký số không khớp với thông tin nền tảng ghi nhận (xem bảng đối chiếu bên dưới)."),
    "nothing_chosen": _l("Hãy chọn ít nhất một sản phẩm để đề cử."),
}

#: Why one typed score was refused; ``max`` and ``step`` are the criterion's maximum and the round's step.
SCORE_MESSAGES = {
    "above_max": _l("Điểm vượt quá mức tối đa của tiêu chí (%(max)s)."),
    "negative": _l("Điểm không được là số âm."),
    "off_step": _l("Điểm phải chia hết cho bước chấm %(step)s (ví dụ 12 hoặc 12,5 khi bước là 0,5)."),
    "not_a_number": _l("Hãy nhập một số, ví dụ 35 hoặc 35,5."),
    "unknown_criterion": _l("Phiếu gửi lên có tiêu chí không thuộc phiếu chấm của đợt này. Hãy tải lại trang."),
    "missing": _l("Hãy chấm tiêu chí này trước khi nộp phiếu."),
    "comment_required": _l("Hãy ghi nhận xét trước khi nộp phiếu."),
}

UPLOAD_MESSAGES = {
    "not_an_image": _l("Tệp %(name)s không phải là ảnh JPEG, PNG hoặc WebP."),
    "unsupported_type": _l("Tệp %(name)s không phải là PDF hoặc ảnh JPEG, PNG, WebP."),
    "not_a_pdf": _l("Tệp %(name)s không phải là tệp PDF hợp lệ."),
    "encrypted_pdf": _l("Tệp PDF %(name)s được đặt mật khẩu; hãy tải lên bản không mật khẩu."),
    "too_many_pages": _l("Tệp PDF %(name)s có quá nhiều trang (tối đa %(max_pages)s)."),
    "too_large": _l("Tệp %(name)s quá lớn (tối đa %(max_mb)s MB)."),
    "too_many_pixels": _l("Ảnh %(name)s quá lớn: %(width)s × %(height)s điểm ảnh. Hãy thu nhỏ ảnh rồi tải lại."),
    "too_small": _l("Ảnh %(name)s quá nhỏ để in rõ nét."),
    "empty": _l("Tệp %(name)s rỗng."),
    "corrupt": _l("Tệp %(name)s bị hỏng hoặc không đọc được."),
}


def problem_message(code):
    return PROBLEM_MESSAGES.get(code, code)


def flash_domain_error(error):
    problems = getattr(error, "problems", None)
    if problems:
        for code in problems:
            flash(problem_message(code), "error")
        return
    flash(domain_message(error), "error")


def domain_message(error):
    """The refusal's message in the reader's language, with its parameters."""
    message = ERROR_MESSAGES.get(error.code, ERROR_MESSAGES["invalid_transition"])
    return message % error.params if error.params else message


def upload_message(rejection, filename):
    template = UPLOAD_MESSAGES.get(rejection.code, UPLOAD_MESSAGES["corrupt"])
    params = {"name": f"“{filename}”" if filename else "", **rejection.params}
    return " ".join((template % params).split())  # no double space when there is no name


def flash_form_errors(form):
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")

"""The signer block (Nghị định 30/2020/NĐ-CP, Phụ lục I): its lines, its forms, and the documents that print it."""
import json
import shutil
import subprocess
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certificates.documents.certificate_pdf import CertificateDoc, render_certificate
from tests.conftest import csrf_from, login
from tests.factories import make_deliberating_round
from tests.support.certificates import certify, issue_certificates
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Decision, Round, User
from voting.operations.deliberation import publish_results, record_vote
from voting.rules.signer import SignerBlock, signer_lines, signer_problems

PROVINCIAL = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
PASSING = [[34, 32, 8, 8], [35, 31, 8, 8], [33, 33, 8, 8]]


# The lines ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("block", "lines"), [
    (SignerBlock(title="Giám đốc", name="Lê Văn A"), ("GIÁM ĐỐC",)),
    (SignerBlock("tm", body="Ủy ban nhân dân", title="Chủ tịch"), ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    (SignerBlock("kt", body="Ủy ban nhân dân", head_title="Chủ tịch", title="Phó Chủ tịch"), PROVINCIAL),
    (SignerBlock("kt", head_title="Giám đốc", title="Phó Giám đốc"), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    (SignerBlock("tl", head_title="Bộ trưởng", title="Vụ trưởng Vụ Kế hoạch"),
     ("TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ KẾ HOẠCH")),
    (SignerBlock("tuq", head_title="Chủ tịch", title="Chánh Văn phòng"), ("TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
    (SignerBlock("q", head_title="Giám đốc"), ("Q. GIÁM ĐỐC",)),
    (SignerBlock("q", body="Ủy ban nhân dân", head_title="Chủ tịch"), ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
], ids=["none", "tm", "tm-kt", "kt", "tl", "tuq", "q", "tm-q"])
def test_each_capacity_prints_the_decrees_lines(block, lines):
    assert signer_lines(block) == lines
    assert not signer_problems(SignerBlock(**{**block.as_dict(), "name": "Lê Văn A"}), required=True)


def test_typed_text_is_nfc_and_single_spaced():
    block = SignerBlock("kt", head_title=unicodedata.normalize("NFD", "Chủ  tịch"), title=" Phó Chủ tịch\n",
                        name=unicodedata.normalize("NFD", "Nguyễn Văn Ánh"))
    assert block.head_title == "Chủ tịch" and block.title == "Phó Chủ tịch"
    assert block.name == unicodedata.normalize("NFC", "Nguyễn Văn Ánh")


@pytest.mark.parametrize(("block", "required", "problems"), [
    (SignerBlock(), False, {}),
    (SignerBlock(), True, {"title": "title_required", "name": "name_required"}),
    (SignerBlock(name="Lê Văn A"), False, {"title": "title_required"}),
    (SignerBlock("tm", title="Chủ tịch", name="A"), True, {"body": "body_required"}),
    (SignerBlock(body="Ủy ban nhân dân", title="Chủ tịch", name="A"), True, {"body": "body_without_capacity"}),
    (SignerBlock("kt", body="Ủy ban nhân dân", title="Phó Chủ tịch", name="A"), True,
     {"head_title": "head_required"}),
    (SignerBlock("tm", body="Ủy ban nhân dân", head_title="Chủ tịch", title="Chủ tịch", name="A"), True,
     {"head_title": "head_without_capacity"}),
    (SignerBlock("q", head_title="Giám đốc", title="Phó Giám đốc", name="A"), True, {"title": "title_with_acting"}),
])
def test_each_capacity_needs_its_companions(block, required, problems):
    assert signer_problems(block, required=required) == problems


def test_an_unknown_capacity_is_refused():
    with pytest.raises(ValueError):
        SignerBlock("kt.")


def test_the_settings_operation_refuses_an_incomplete_block(app, make_user):
    from voting.core.errors import DomainError
    from voting.operations.rounds import SETTING_FIELDS, update_scoring_settings

    hall = make_deliberating_round(app, make_user, [PASSING])
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        round_.status = "scoring"
        fields = {name: getattr(round_, name) for name in SETTING_FIELDS}
        with pytest.raises(DomainError):
            update_scoring_settings(db.session.get(User, hall.organiser.id), round_,
                                    {**fields, "signer_capacity": "tl", "signer_head_title": "",
                                     "signer_title": "Chánh Văn phòng"})
        db.session.rollback()


def test_the_schema_refuses_a_capacity_without_its_companion(app, make_user):
    hall = make_deliberating_round(app, make_user, [PASSING])
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        round_.signer_capacity, round_.signer_head_title, round_.signer_title = "kt", "", "Phó Chủ tịch"
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


# The forms ------------------------------------------------------------------------------------------------

def _post(client, url, data, page_url):
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    return client.post(url, data={"csrf_token": csrf_from(page), **data})


@pytest.fixture
def voted(app, make_user, monkeypatch, client):
    """A round whose council's list is announced and past complaints, the organiser signed in;
    ``(hall, decision id, url)``."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = make_deliberating_round(app, make_user, [PASSING, PASSING])
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        decision = record_vote(db.session.get(User, hall.chair.id), round_, today_vn(), 4, 4, 0, 0, "", today_vn())
        # The rules' order: the list is announced and its complaint window has run out before the decision.
        publish_results(db.session.get(User, hall.organiser.id), round_, today_vn())
        decision.complaints_close_on = today_vn() - timedelta(days=1)
        db.session.commit()
        decision_id = decision.id
    assert login(client, hall.organiser.email).status_code == 302
    return hall, decision_id, f"/rounds/{hall.round_id}/results"


DECIDED = {"decision_number": "1234/QĐ-UBND", "signer_capacity": "kt", "signer_body": "Ủy ban nhân dân",
           "signer_head_title": "Chủ tịch", "signer_title": "Phó Chủ tịch", "signer_name": "Nguyễn Văn Bình"}


def test_the_decision_form_says_what_ktneeds_and_keeps_what_was_typed(app, client, voted):
    hall, decision_id, url = voted
    typed = {**DECIDED, "decision_on": today_vn().isoformat(), "signer_head_title": ""}
    refused = _post(client, f"{url}/decisions/{decision_id}", typed, url)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Ký KT. cần chức danh của người đứng đầu, ví dụ “Chủ tịch”." in page
    assert 'value="Ủy ban nhân dân"' in page and 'value="Phó Chủ tịch"' in page and 'value="Nguyễn Văn Bình"' in page
    assert '<option selected value="kt">' in page
    with app.app_context():
        assert not db.session.get(Decision, decision_id).is_decided


def test_the_decision_form_refuses_a_body_without_tm_and_an_unknown_capacity(app, client, voted):
    hall, decision_id, url = voted
    typed = {**DECIDED, "decision_on": today_vn().isoformat(), "signer_capacity": "none", "signer_head_title": ""}
    page = _post(client, f"{url}/decisions/{decision_id}", typed, url).get_data(as_text=True)
    assert "Đã ghi tên tập thể: hãy chọn thẩm quyền ký “TM.”" in page
    forged = _post(client, f"{url}/decisions/{decision_id}", {**typed, "signer_capacity": "KT."}, url)
    assert forged.status_code == 400
    with app.app_context():
        assert not db.session.get(Decision, decision_id).is_decided


def test_the_decision_is_signed_as_typed_and_its_annexed_list_signs_nothing_itself(app, client, voted):
    hall, decision_id, url = voted
    name = "<script>alert(1)</script> Nguyễn Văn Bình"
    done = _post(client, f"{url}/decisions/{decision_id}",
                 {**DECIDED, "signer_name": name, "decision_on": today_vn().isoformat()}, url)
    assert done.status_code == 302
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        assert SignerBlock.of(decision) == SignerBlock("kt", "Ủy ban nhân dân", "Chủ tịch", "Phó Chủ tịch", name)
    page = client.get(url).get_data(as_text=True)
    assert "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Nguyễn Văn Bình" in page
    listing = client.get(f"{url}/decisions/{decision_id}/list.pdf")
    assert listing.status_code == 200
    lines = pdf_lines(listing.data)
    assert not any(line in lines for line in (*PROVINCIAL, name))  # an annex: the decision carries the signer


def test_round_settings_refuse_tm_without_the_body_and_keep_the_rest(app, client, voted):
    hall, _decision_id, _url = voted
    with app.app_context():
        db.session.get(Round, hall.round_id).status = "scoring"  # settings close at deliberation
        db.session.commit()
    url = f"/organiser/rounds/{hall.round_id}/scoring-settings"
    page = client.get(url)
    form = {"point_step": "0.5", "pass_mark": "70", "min_sheets_per_entry": "3", "council_quorum": "3",
            "second_stage_rule": "all_passing", "second_stage_weight": "1", "outlier_mad_factor": "3",
            "outlier_min_spread": "10", "vote_majority": "half", "complaint_window_days": "15",
            "certificate_validity_months": "36", "step_order": "announce_first", "validity_from": "decision",
            "signer_capacity": "tm", "signer_body": "",
            "signer_title": "Chủ tịch", "signer_name": "Trần Thị Lan"}
    refused = client.post(url, data={"csrf_token": csrf_from(page), **form}).get_data(as_text=True)
    assert "Ký thay mặt tập thể (TM.) cần tên tập thể, ví dụ “Ủy ban nhân dân”." in refused
    assert 'value="Trần Thị Lan"' in refused and '<option selected value="tm">' in refused
    saved = client.post(url, data={"csrf_token": csrf_from(page), **form, "signer_body": "Ủy ban nhân dân"})
    assert saved.status_code == 302
    assert "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH</strong> / Trần Thị Lan" in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert signer_lines(SignerBlock.of(db.session.get(Round, hall.round_id))) == ("TM. ỦY BAN NHÂN DÂN",
                                                                                     "CHỦ TỊCH")


# The PDFs -------------------------------------------------------------------------------------------------

def pdf_lines(data):
    """The PDF's text lines in reading order, as ``pdftotext`` extracts them."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (Debian: poppler-utils)")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60).stdout
    return [" ".join(line.split()) for line in out.decode().splitlines() if line.strip()]


def _in_order(lines, expected):
    """Each of ``expected`` is a whole line of ``lines``, in this order (other blocks, such as the
    certificate's QR caption beside the signature, may come between in reading order)."""
    remaining = iter(lines)
    return all(any(line == wanted for line in remaining) for wanted in expected)


def _certificate(**changes):
    values = dict(
        authority_parent="", authority_name="Ủy ban nhân dân tỉnh Thái Nguyên", place="Thái Nguyên",
        number="15/GCN-UBND", level_label="cấp tỉnh", year=2026, decision_number="123/QĐ-UBND",
        decision_date=date(2026, 3, 2), decision_authority="Ủy ban nhân dân tỉnh Thái Nguyên",
        product_name="Chè búp Tân Cương", group_name="Chế biến nông, lâm, thủy sản",
        producer_name="Hợp tác xã chè Tân Cương", producer_address="Xã Tân Cương", province_name="Thái Nguyên",
        issued_on=date(2026, 3, 5), expires_on=date(2029, 3, 5), signer_title="", signer_name="",
        verify_url="https://cnnt.example.vn/v/abc")
    return CertificateDoc(**{**values, **changes})


def test_the_certificate_prints_the_block_in_order_and_a_name_with_markup_literally(app):
    name = "<script>alert(1)</script> Nguyễn Văn A"
    signer = SignerBlock("kt", "Ủy ban nhân dân", "Chủ tịch", "Phó Chủ tịch", name)
    with app.app_context():
        data = render_certificate(_certificate(signer=signer))
    lines = pdf_lines(data)
    assert _in_order(lines, [*PROVINCIAL, name]), lines
    assert not any("&lt;" in line for line in lines)


def test_a_certificate_issued_before_the_block_prints_its_old_lines(app):
    with app.app_context():
        data = render_certificate(_certificate(signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", signer_name="Lê Văn B"))
    assert _in_order(pdf_lines(data), ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn B"])


def test_issued_certificates_carry_the_block_and_old_snapshots_still_verify(app, make_user, signer):
    from certificates.models import Certificate
    from certificates.operations.issuance import document_for
    from certificates.operations.lifecycle import supersede
    from certificates.rules.verification import verify

    hall = certify(app, make_user, entries=1, failing=0)
    (certificate_id, _number), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        facts = json.loads(certificate.snapshot)
        assert facts["signer"] == {"capacity": "kt", "body": "", "head_title": "Chủ tịch", "title": "Phó Chủ tịch",
                                   "name": "Nguyễn Văn Bình"}
        assert facts["signer_title"] == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        # A certificate signed before the block: its snapshot has the title box only.
        legacy = {k: v for k, v in facts.items() if k != "signer"} | {"signer_title": "PHÓ CHỦ TỊCH UBND TỈNH"}
        old = supersede(db.session.get(User, hall.organiser.id), certificate, legacy, today_vn())
        db.session.commit()
        old = db.session.scalar(select(Certificate).where(Certificate.id == old.id))
        assert "signer" not in json.loads(old.snapshot)
        assert verify(old.token, today_vn()).status == "valid"
        assert document_for(old).signer is None
        lines = pdf_lines(render_certificate(document_for(old)))
    assert _in_order(lines, ["PHÓ CHỦ TỊCH UBND TỈNH", "Nguyễn Văn Bình"])

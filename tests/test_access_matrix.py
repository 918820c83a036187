"""Every endpoint × every role: the expected outcome, declared in one table.

A new endpoint that is not in ``MATRIX`` fails ``test_matrix_covers_every_endpoint``;
every later issue extends the table.

Roles: ``owner`` is the producer whose product, files and application the URLs
name; ``producer`` is another producer. ``organiser`` manages the Thái Nguyên
round the application is in; ``organiser_elsewhere`` is Khánh Hòa's. Objects a
role may not see answer 404, not 403, so that ids cannot be probed.
"""
import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login
from tests.factories import build_world
from voting.extensions import db
from voting.models import IssuingAuthority

ROLES = ("anonymous", "producer", "owner", "juror", "organiser", "organiser_elsewhere", "admin")
SIGNED_IN = ROLES[1:]
PRODUCERS = ("producer", "owner")
ORGANISERS = ("organiser", "organiser_elsewhere")
LOGIN = (302, "/login")            # anonymous users are sent to sign in
OK, BAD, FORBIDDEN, NOT_FOUND = 200, 400, 403, 404
HOME = (302, "/account/")          # signed-in users leave the sign-in pages
BACK = 302                         # a POST handled: redirect with a message


def allow(outcomes, default=FORBIDDEN):
    """``outcomes`` for the roles named, ``default`` for other signed-in roles, LOGIN for anonymous."""
    table = {role: default for role in SIGNED_IN}
    table["anonymous"] = LOGIN
    for roles, outcome in outcomes.items():
        for role in _flatten(roles):
            table[role] = outcome
    return table


def _flatten(roles):
    if isinstance(roles, str):
        return [roles]
    return [role for item in roles for role in _flatten(item)]


def everyone(outcome=OK):
    return {r: outcome for r in ROLES}


def signed_in(outcome=OK):
    return {"anonymous": LOGIN, **{r: outcome for r in SIGNED_IN}}


OWNER_ONLY = {"owner": OK, "producer": NOT_FOUND}
OWNER_POST = {"owner": BACK, "producer": NOT_FOUND}
ROUND_ORGANISER = {"organiser": OK, "organiser_elsewhere": NOT_FOUND}

# endpoint: (method, url template, {role: expected})
MATRIX = {
    "public.index": ("GET", "/", everyone()),
    "api.ping": ("GET", "/api/v1/ping", everyone()),
    "api.healthz": ("GET", "/healthz", everyone()),
    "public.set_language": ("GET", "/lang/en?next=/", everyone((302, "/"))),
    "public.communes_of_province": ("GET", "/reference/provinces/19/communes.json", everyone()),
    "registry.index": ("GET", "/registry/", everyone()),
    "registry.statistics": ("GET", "/registry/statistics", everyone()),
    "auth.login": ("GET", "/login", {"anonymous": OK, **{r: HOME for r in SIGNED_IN}}),
    "auth.register": ("GET", "/register", {"anonymous": OK, **{r: HOME for r in SIGNED_IN}}),
    "auth.forgot_password": ("GET", "/forgot-password", everyone()),
    "auth.reset_password": ("GET", "/reset-password/not-a-token", everyone(NOT_FOUND)),
    "auth.confirm_registration": ("GET", "/register/confirm/not-a-token", everyone(NOT_FOUND)),
    "auth.logout": ("POST", "/logout", {"anonymous": LOGIN, **{r: (302, "/") for r in SIGNED_IN}}),
    "account.dashboard": ("GET", "/account/", {
        "anonymous": LOGIN, "producer": (302, "/producer/"), "owner": (302, "/producer/"),
        "juror": (302, "/jury/"), "organiser": (302, "/organiser/"),
        "organiser_elsewhere": (302, "/organiser/"), "admin": (302, "/admin/")}),
    "account.password": ("GET", "/account/password", signed_in()),
    "account.inbox": ("GET", "/account/inbox", signed_in()),
    "account.sessions": ("GET", "/account/sessions", signed_in()),
    # Signs this browser out too: to the sign-in page.
    "account.end_all_sessions": ("POST", "/account/sessions/end-all", signed_in((302, "/login"))),
    "account.inbox_read": ("POST", "/account/inbox/read", signed_in(BACK)),
    # Producers
    "producer.dashboard": ("GET", "/producer/", allow({PRODUCERS: OK})),
    "producer.profile": ("GET", "/producer/profile", allow({PRODUCERS: OK})),
    "producer.product_new": ("GET", "/producer/products/new",
                             allow({"owner": OK, "producer": (302, "/producer/profile")})),
    "producer.product": ("GET", "/producer/products/{product}", allow(OWNER_ONLY)),
    "producer.upload_photo": ("POST", "/producer/products/{product}/photos", allow(OWNER_POST)),
    "producer.upload_document": ("POST", "/producer/products/{product}/documents", allow(OWNER_POST)),
    "producer.delete_file": ("POST", "/producer/files/{photo}/delete", allow(OWNER_POST)),
    "producer.file": ("GET", "/producer/files/{photo}", allow(OWNER_ONLY)),
    "producer.publish": ("POST", "/producer/products/{product}/publish", allow(OWNER_POST)),
    "producer.apply": ("POST", "/producer/products/{product}/apply", allow(OWNER_POST)),
    "producer.application": ("GET", "/producer/applications/{application}", allow(OWNER_ONLY)),
    # The commitments are unticked: the page again, with an error per commitment.
    "producer.application_submit": ("POST", "/producer/applications/{application}/submit",
                                    allow({"owner": BAD, "producer": NOT_FOUND})),
    "producer.registration_form": ("GET", "/producer/applications/{application}/registration-form.pdf",
                                   allow(OWNER_ONLY)),
    "producer.registration_form_word": ("GET", "/producer/applications/{application}/registration-form.docx",
                                        allow(OWNER_ONLY)),
    "producer.signed_form_upload": ("POST", "/producer/applications/{application}/signed-form/upload",
                                    allow(OWNER_POST)),
    "producer.signed_form": ("GET", "/producer/applications/{application}/signed-form", allow(OWNER_ONLY)),
    "producer.application_withdraw": ("POST", "/producer/applications/{application}/withdraw",
                                      allow(OWNER_POST)),
    # Jury
    "jury.dashboard": ("GET", "/jury/", allow({("juror", ORGANISERS): OK})),
    # Nobody is on this round's jury, so even jurors and organisers see nothing of it.
    "jury.round_view": ("GET", "/jury/rounds/{round}", allow({("juror", ORGANISERS): NOT_FOUND})),
    "jury.conflict_declare": ("POST", "/jury/rounds/{round}/conflicts", allow({("juror", ORGANISERS): NOT_FOUND})),
    "jury.sheet": ("GET", "/jury/rounds/{round}/entries/{application}", allow({("juror", ORGANISERS): NOT_FOUND})),
    "jury.sheet_pdf": ("GET", "/jury/rounds/{round}/entries/{application}/sheet.pdf",
                       allow({("juror", ORGANISERS): NOT_FOUND})),
    "jury.entry_file": ("GET", "/jury/rounds/{round}/entries/{application}/files/{photo}",
                        allow({("juror", ORGANISERS): NOT_FOUND})),
    # Organisers
    "organiser.dashboard": ("GET", "/organiser/", allow({ORGANISERS: OK})),
    "organiser.rounds": ("GET", "/organiser/rounds", allow({ORGANISERS: OK})),
    "organiser.round_new": ("GET", "/organiser/rounds/new", allow({ORGANISERS: OK})),
    "organiser.round_view": ("GET", "/organiser/rounds/{round}", allow(ROUND_ORGANISER)),
    "organiser.round_edit": ("GET", "/organiser/rounds/{round}/settings", allow(ROUND_ORGANISER)),
    "organiser.round_registration": ("POST", "/organiser/rounds/{round}/registration",
                                     allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    "organiser.round_summary": ("GET", "/organiser/rounds/{round}/summary.xlsx", allow(ROUND_ORGANISER)),
    "organiser.application": ("GET", "/organiser/applications/{application}", allow(ROUND_ORGANISER)),
    "organiser.application_file": ("GET", "/organiser/applications/{application}/files/{document}",
                                   allow(ROUND_ORGANISER)),
    "organiser.application_signed_form": ("GET", "/organiser/applications/{application}/signed-form",
                                          allow(ROUND_ORGANISER)),
    "organiser.round_settings": ("GET", "/organiser/rounds/{round}/scoring-settings", allow(ROUND_ORGANISER)),
    "organiser.round_subcriteria": ("POST", "/organiser/rounds/{round}/subcriteria",
                                    allow({"organiser": BAD, "organiser_elsewhere": NOT_FOUND})),
    # The matrix's round is open for registration: its organiser's empty form leaves every text as it was.
    "organiser.round_guidance": ("POST", "/organiser/rounds/{round}/guidance",
                                 allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    "organiser.round_council": ("GET", "/organiser/rounds/{round}/council", allow(ROUND_ORGANISER)),
    "organiser.council_member_remove": ("POST", "/organiser/rounds/{round}/council/999999/remove",
                                        allow({ORGANISERS: NOT_FOUND})),
    "organiser.juror_remove": ("POST", "/organiser/rounds/{round}/jury/999999/remove",
                               allow({ORGANISERS: NOT_FOUND})),
    "organiser.council_member_edit": ("GET", "/organiser/rounds/{round}/council/999999/edit",
                                      allow({ORGANISERS: NOT_FOUND})),
    "organiser.juror_edit": ("GET", "/organiser/rounds/{round}/jury/999999/edit", allow({ORGANISERS: NOT_FOUND})),
    "organiser.support_member_edit": ("GET", "/organiser/rounds/{round}/support/999999/edit",
                                      allow({ORGANISERS: NOT_FOUND})),
    "organiser.juror_make_head": ("POST", "/organiser/rounds/{round}/jury/999999/head",
                                  allow({ORGANISERS: NOT_FOUND})),
    "organiser.support_member_remove": ("POST", "/organiser/rounds/{round}/support/999999/remove",
                                        allow({ORGANISERS: NOT_FOUND})),
    # The world's council has no founding decision recorded, so no scan: not found even for its organiser.
    "organiser.founding_scan": ("GET", "/organiser/rounds/{round}/council/founding-scan",
                                allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    # Nor its founding decision or the jury's appointment to print, whose numbers are not recorded either
    # (tests/voting/test_council_documents.py downloads them once recorded).
    "organiser.founding_decision": ("GET", "/organiser/rounds/{round}/council/founding-decision.pdf",
                                    allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "organiser.founding_decision_word": ("GET", "/organiser/rounds/{round}/council/founding-decision.docx",
                                         allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    # Nor a signed copy (tests/voting/test_signed_documents.py signs and downloads them once recorded).
    "organiser.sign_founding_decision": ("POST", "/organiser/rounds/{round}/council/founding-decision/sign",
                                         allow({ORGANISERS: NOT_FOUND})),
    "organiser.upload_founding_decision": ("GET", "/organiser/rounds/{round}/council/founding-decision/upload",
                                           allow({ORGANISERS: NOT_FOUND})),
    "organiser.signed_founding_decision": ("GET", "/organiser/rounds/{round}/council/founding-decision-signed.pdf",
                                           allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "organiser.jury_appointment": ("GET", "/organiser/rounds/{round}/council/jury-appointment.pdf",
                                   allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "organiser.jury_appointment_word": ("GET", "/organiser/rounds/{round}/council/jury-appointment.docx",
                                        allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "organiser.detect_round_conflicts": ("POST", "/organiser/rounds/{round}/detect-conflicts",
                                         allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    "organiser.round_phase": ("POST", "/organiser/rounds/{round}/phase",
                              allow({"organiser": BAD, "organiser_elsewhere": NOT_FOUND})),
    "organiser.round_progress": ("GET", "/organiser/rounds/{round}/progress", allow(ROUND_ORGANISER)),
    "verify.image": ("GET", "/v/not-a-token/certificate.png", everyone(NOT_FOUND)),
    "verify.pdf": ("GET", "/v/not-a-token/certificate.pdf", everyone(NOT_FOUND)),
    "verify.photo": ("GET", "/v/not-a-token/photo", everyone(NOT_FOUND)),
    "verify.report": ("GET", "/v/not-a-token/report", everyone()),
    "verify.report_sent": ("GET", "/v/not-a-token/report/sent", everyone()),
    "oversight.scans": ("GET", "/certificates/999999/scans", allow({ORGANISERS: NOT_FOUND})),
    "oversight.fake_reports": ("GET", "/certificates/fake-reports", allow({(ORGANISERS, "admin"): OK})),
    # Each organiser sees its own area's figures (tests/certificates/test_reports.py), an administrator all.
    "reports.index": ("GET", "/reports/", allow({(ORGANISERS, "admin"): OK})),
    # The same figures as a print-ready Excel file (tests/certificates/test_reports_xlsx.py).
    "reports.report_xlsx": ("GET", "/reports/report.xlsx", allow({(ORGANISERS, "admin"): OK})),
    "reports.report_pdf": ("GET", "/reports/report.pdf", allow({(ORGANISERS, "admin"): OK})),
    "oversight.fake_report_handled": ("POST", "/certificates/fake-reports/999999/handled",
                                      allow({(ORGANISERS, "admin"): NOT_FOUND})),
    # The world's round is provincial: it nominates upward, it takes no nominations.
    "organiser.round_nominate": ("GET", "/organiser/rounds/{round}/nominate", allow(ROUND_ORGANISER)),
    "organiser.round_nominations": ("GET", "/organiser/rounds/{round}/nominations",
                                    allow({ORGANISERS: NOT_FOUND})),
    "organiser.round_nominations_xlsx": ("GET", "/organiser/rounds/{round}/nominations.xlsx",
                                         allow({ORGANISERS: NOT_FOUND})),
    "organiser.nomination_withdraw": ("POST", "/organiser/nominations/999999/withdraw",
                                      allow({ORGANISERS: NOT_FOUND})),
    # The world's round has no accepted entry yet: the organiser is sent back with a message.
    "organiser.blank_score_sheets": ("GET", "/organiser/rounds/{round}/score-sheets.pdf",
                                     allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    # Council (chair and secretary act for it); the round's council is empty in this world
    "council.index": ("GET", "/council/", allow({("juror", ORGANISERS, "admin"): OK})),
    "council.round_view": ("GET", "/council/rounds/{round}", allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "council.conflict_dismiss": ("POST", "/council/conflicts/999999/dismiss",
                                 allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "council.sheet_reopen": ("POST", "/council/sheets/999999/reopen",
                             allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "council.paper_sheet": ("GET", "/council/rounds/{round}/paper",
                            allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    "council.remind_jurors": ("POST", "/council/rounds/{round}/remind",
                              allow({("juror", ORGANISERS, "admin"): NOT_FOUND})),
    # Results (organisers of the round and its council; nobody is on this round's council, and
    # its scores are still blind, so files and analysis are not there yet)
    "results.view": ("GET", "/rounds/{round}/results", allow(
        {"organiser": OK, ("juror", "organiser_elsewhere"): NOT_FOUND})),
    "results.prizes": ("GET", "/rounds/{round}/results/prizes", allow(
        {"organiser": OK, ("juror", "organiser_elsewhere"): NOT_FOUND})),
    "results.publish": ("POST", "/rounds/{round}/results/publish", allow(
        {"organiser": BACK, ("juror", "organiser_elsewhere"): NOT_FOUND})),
    "results.decide": ("POST", "/rounds/{round}/results/decisions/999999", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.strike": ("POST", "/rounds/{round}/results/entries/{application}/strike", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.restore": ("POST", "/rounds/{round}/results/strikes/999999/restore", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.vote": ("POST", "/rounds/{round}/results/vote", allow({("juror", ORGANISERS): NOT_FOUND})),
    "results.ask_justification": ("POST", "/rounds/{round}/results/sheets/999999/justification-request", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.answer": ("POST", "/rounds/{round}/results/complaints/999999/answer", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.minutes_pdf": ("GET", "/rounds/{round}/results/decisions/999999/minutes.pdf", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.decision_list_pdf": ("GET", "/rounds/{round}/results/decisions/999999/list.pdf", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.decision_list_docx": ("GET", "/rounds/{round}/results/decisions/999999/list.docx", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.decision_pdf": ("GET", "/rounds/{round}/results/decisions/999999/decision.pdf", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.decision_docx": ("GET", "/rounds/{round}/results/decisions/999999/decision.docx", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.minutes_docx": ("GET", "/rounds/{round}/results/decisions/999999/minutes.docx", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.sign_vote_document": ("POST", "/rounds/{round}/results/decisions/999999/sign/decision", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.upload_vote_document": ("GET", "/rounds/{round}/results/decisions/999999/upload/minutes", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.signed_vote_document": ("GET", "/rounds/{round}/results/decisions/999999/signed/minutes.pdf", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.score_matrix": ("GET", "/rounds/{round}/results/scores.xlsx", allow({("juror", ORGANISERS): NOT_FOUND})),
    "results.results_table": ("GET", "/rounds/{round}/results/results.xlsx", allow(
        {("juror", ORGANISERS): NOT_FOUND})),
    "results.analysis": ("GET", "/rounds/{round}/results/analysis", allow({("juror", ORGANISERS): NOT_FOUND})),
    "public.results_index": ("GET", "/results/", everyone()),
    "public.results_round": ("GET", "/results/{round}", everyone(NOT_FOUND)),  # nothing published yet
    "producer.complaint_file": ("POST", "/producer/applications/{application}/complaint",
                                allow({"owner": BAD, "producer": NOT_FOUND})),
    "jury.justify": ("POST", "/jury/rounds/{round}/sheets/999999/justification",
                     allow({("juror", ORGANISERS): NOT_FOUND})),
    # Certificates: verification is public; issuing belongs to the round's organiser
    "verify.page": ("GET", "/v/not-a-token", everyone()),
    "verify.api": ("GET", "/api/v1/verify/not-a-token", everyone()),
    "verify.keys": ("GET", "/.well-known/cnnt-keys.json", everyone()),
    "verify.check_document_page": ("GET", "/verify/document", everyone()),
    "certs.round_view": ("GET", "/certificates/rounds/{round}", allow(ROUND_ORGANISER)),
    "certs.issue": ("POST", "/certificates/rounds/{round}/issue",
                    allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    "certs.reissue": ("POST", "/certificates/rounds/{round}/reissue",
                      allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    "certs.export": ("POST", "/certificates/rounds/{round}/exports/zip",
                     allow({"organiser": BACK, "organiser_elsewhere": NOT_FOUND})),
    "certs.job_status": ("GET", "/certificates/jobs/{job}.json", allow(ROUND_ORGANISER)),
    "certs.job_download": ("GET", "/certificates/jobs/{job}/download", allow(ROUND_ORGANISER)),
    "certs.certificate_pdf": ("GET", "/certificates/999999.pdf", signed_in(NOT_FOUND)),
    "certs.labels_pdf": ("GET", "/certificates/999999/labels.pdf", signed_in(NOT_FOUND)),
    "certs.mine": ("GET", "/certificates/mine", allow({PRODUCERS: OK})),
    "certs.certificate_view": ("GET", "/certificates/999999", allow({ORGANISERS: NOT_FOUND})),
    "certs.withdraw": ("POST", "/certificates/999999/revoke", allow({ORGANISERS: NOT_FOUND})),
    "certs.reinstate": ("POST", "/certificates/999999/reinstate", allow({ORGANISERS: NOT_FOUND})),
    "certs.correct": ("POST", "/certificates/999999/correct", allow({ORGANISERS: NOT_FOUND})),
    "certs.upload_signed_copy": ("GET", "/certificates/999999/signed-copy", allow({ORGANISERS: NOT_FOUND})),
    # Administration
    "admin.index": ("GET", "/admin/", allow({"admin": OK})),
    "admin.users": ("GET", "/admin/users", allow({"admin": OK})),
    "admin.user_new": ("GET", "/admin/users/new", allow({"admin": OK})),
    "admin.user_edit": ("GET", "/admin/users/{target_user}", allow({"admin": OK})),
    "admin.user_reset_link": ("POST", "/admin/users/{target_user}/reset-link", allow({"admin": OK})),
    "admin.user_set_active": ("POST", "/admin/users/{target_user}/active",
                              allow({"admin": (302, "/admin/users/")})),
    "admin.user_attach_producer": ("POST", "/admin/users/{owner}/producer", allow({"admin": BAD})),
    "admin.authorities": ("GET", "/admin/authorities", allow({"admin": OK})),
    "admin.authority_new": ("GET", "/admin/authorities/new", allow({"admin": OK})),
    "admin.authority_edit": ("GET", "/admin/authorities/{authority}", allow({"admin": OK})),
    "admin.authority_artwork": ("POST", "/admin/authorities/{authority}/artwork",
                                (lambda t: {**t, "admin": (302, "/admin/authorities/")})(allow({}))),
    "admin.authority_seal": ("POST", "/admin/authorities/{authority}/seal",
                             (lambda t: {**t, "admin": (302, "/admin/authorities/")})(allow({}))),
    "admin.regions": ("GET", "/admin/regions", allow({"admin": OK})),
    # The registry's product and producer pages and GS1 Digital Link: the world's product holds no
    # certificate, so it is not in the registry (nor are its photos), for anyone.
    "registry.product": ("GET", "/registry/{product}", everyone(NOT_FOUND)),
    "registry.photo": ("GET", "/registry/{product}/photos/{photo}", everyone(NOT_FOUND)),
    "registry.producer": ("GET", "/registry/producers/999999", everyone(NOT_FOUND)),
    "gs1.resolve": ("GET", "/01/4006381333931", everyone(NOT_FOUND)),
    # A province's paper nomination list, imported by the higher round's organiser: the world's round is
    # provincial (it takes no nominations), so its organiser is sent back to the round with a message.
    "organiser.import_nominations": ("GET", "/organiser/rounds/{round}/nominations/import",
                                     allow({"organiser": (302, "/organiser/rounds/"), "organiser_elsewhere": NOT_FOUND})),
    "organiser.import_nominations_template": ("GET", "/organiser/rounds/{round}/nominations/import/template.xlsx",
                                              allow({"organiser": (302, "/organiser/rounds/"),
                                                     "organiser_elsewhere": NOT_FOUND})),
    "admin.audit": ("GET", "/admin/audit", allow({"admin": OK})),
    "registry_data.products": ("GET", "/api/v1/products", everyone()),
    "registry_data.stats": ("GET", "/api/v1/stats", everyone()),
    "registry_data.registry_csv": ("GET", "/registry.csv", everyone()),
    "registry_data.openapi": ("GET", "/api/v1/openapi.json", everyone()),
    "registry.certificate": ("GET", "/registry/certificates/KHONG-CO/S%C3%8D%201", everyone(NOT_FOUND)),
    "certificate_imports.import_certificates": ("GET", "/admin/imports/certificates", allow({"admin": OK})),
    "certificate_imports.import_template": ("GET", "/admin/imports/certificates/template.xlsx", allow({"admin": OK})),
}


def test_matrix_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    missing = endpoints - set(MATRIX)
    stale = set(MATRIX) - endpoints
    assert not missing, f"endpoints missing from the access matrix: {sorted(missing)}"
    assert not stale, f"matrix names endpoints that no longer exist: {sorted(stale)}"


def test_matrix_names_every_role(app):
    for endpoint, (_, _, expected) in MATRIX.items():
        assert set(expected) == set(ROLES), endpoint


def test_every_view_declares_an_access_rule(app):
    undeclared = [
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint != "static" and getattr(view, "access_rule", None) is None
    ]
    assert undeclared == []


def test_view_without_rule_is_refused(app):
    """The before-request guard fails closed for an endpoint nobody declared."""
    from voting import create_app

    probe = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    probe.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    response = probe.test_client().get("/undeclared")
    assert response.status_code == 403
    assert b"secret" not in response.data


def _users_for(make_user, role):
    """Create the world's fixed accounts plus the acting user; return the acting user."""
    kinds = {"producer": ("producer", {}), "owner": None, "juror": ("juror", {}),
             "organiser": None, "organiser_elsewhere": ("organiser", {"province_code": "56"}),
             "admin": ("admin", {})}
    kind = kinds.get(role)
    return make_user(kind[0], **kind[1]) if kind else None


def _finished_export(app, round_id):
    """A finished ZIP export of the world's round, its file in storage; returns the job's id."""
    from voting.models import BackgroundJob
    from voting.core.storage import storage

    with app.app_context():
        storage("exports").save(f"round-{round_id}/matrix.zip", b"PK\x05\x06" + bytes(18))
        job = BackgroundJob(kind="certificates_zip", round_id=round_id, status="done",
                            result_key=f"round-{round_id}/matrix.zip", result_name="matrix.zip")
        db.session.add(job)
        db.session.commit()
        return job.id


def _url(app, template, world, people, job=None):
    with app.app_context():
        authority_id = db.session.scalar(select(IssuingAuthority.id).order_by(IssuingAuthority.id).limit(1))
    objects = {} if world is None else {
        "round": world.round_id, "product": world.product_id, "photo": world.photo_id,
        "document": world.document_id, "application": world.application_id}
    if "{job}" in template:
        objects["job"] = job if job is not None else _finished_export(app, world.round_id)
    return template.format(target_user=people["target"].id, authority=authority_id, owner=people["owner"].id,
                           **objects)


def _check(response, expected, role, method, url):
    status, location = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, f"{role} {method} {url}"
    if location is not None:
        assert response.headers["Location"].startswith(location), response.headers["Location"]


def _refused(expected, role):
    """Whether the expected answer refuses the request: then it changes nothing, and may share a world.

    (302 to /login is a refusal for an anonymous visitor only: "sign out everywhere" answers it too.)
    """
    return expected in (FORBIDDEN, NOT_FOUND) or (role == "anonymous" and expected == LOGIN)


GETS = sorted(endpoint for endpoint, (method, _, _) in MATRIX.items() if method == "GET")
POSTS = sorted(endpoint for endpoint, (method, _, _) in MATRIX.items() if method == "POST")


@pytest.fixture(scope="module")
def shared_world(app, module_rows):
    """One world, its accounts and a signed-in client per role, for every GET of the matrix.

    A GET changes nothing another GET's answer depends on, so they share what is slow to build
    (accounts, a product with its files, a round, an application, a finished export); each POST
    builds its own.
    """
    from tests.conftest import create_user

    people = {"owner": create_user(app, "producer", "matrix.owner@example.vn"),
              "organiser": create_user(app, "organiser", "matrix.organiser@example.vn", province_code="19"),
              "target": create_user(app, "juror", "matrix.target@example.vn"),
              "producer": create_user(app, "producer", "matrix.producer@example.vn"),
              "juror": create_user(app, "juror", "matrix.juror@example.vn"),
              "organiser_elsewhere": create_user(app, "organiser", "matrix.elsewhere@example.vn",
                                                 province_code="56"),
              "admin": create_user(app, "admin", "matrix.admin@example.vn")}
    # Its own registration number: the module's handled POSTs build worlds of their own while it is in the
    # database (it is emptied when the module ends), on the same worker when xdist puts them there.
    world = build_world(app, people["owner"].email, people["organiser"].email, registration_number="4799999999")
    job = _finished_export(app, world.round_id)
    clients = {"anonymous": app.test_client()}
    for role in SIGNED_IN:
        clients[role] = app.test_client()
        assert login(clients[role], people[role].email, people[role].password).status_code == 302
    return world, people, job, clients


@pytest.mark.xdist_group("access_matrix_get")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", GETS)
def test_access(app, module_rows, shared_world, endpoint, role):
    method, template, expected_by_role = MATRIX[endpoint]
    world, people, job, clients = shared_world
    url = _url(app, template, world, people, job)
    _check(clients[role].get(url), expected_by_role[role], role, method, url)


# A POST the matrix expects to be refused shares the GETs' world: a refusal changes nothing (were it
# not refused, the test fails there and then). One it expects to be handled gets a world of its own.
SHARED_POSTS = [(e, r) for e in POSTS for r in ROLES if _refused(MATRIX[e][2][r], r)]
OWN_WORLD_POSTS = [(e, r) for e in POSTS for r in ROLES if not _refused(MATRIX[e][2][r], r)]


@pytest.mark.xdist_group("access_matrix_get")
@pytest.mark.parametrize("endpoint, role", SHARED_POSTS, ids=[f"{e}-{r}" for e, r in SHARED_POSTS])
def test_access_post_refused(app, module_rows, shared_world, endpoint, role):
    method, template, expected_by_role = MATRIX[endpoint]
    world, people, job, clients = shared_world
    url = _url(app, template, world, people, job)
    client = clients[role]
    token = csrf_token(client, "/login" if role == "anonymous" else "/account/password")
    _check(client.post(url, data={"csrf_token": token}), expected_by_role[role], role, method, url)


@pytest.mark.parametrize("endpoint, role", OWN_WORLD_POSTS, ids=[f"{e}-{r}" for e, r in OWN_WORLD_POSTS])
def test_access_post(app, client, make_user, endpoint, role):
    """A POST may change what it acts on: each one the matrix expects handled gets a world of its own."""
    method, template, expected_by_role = MATRIX[endpoint]
    owner = make_user("producer")
    organiser = make_user("organiser", province_code="19")
    target = make_user("juror")
    needs_world = endpoint.split(".")[0] in ("producer", "organiser", "jury") or any(f"{{{name}}}" in template for name in
                      ("round", "product", "photo", "document", "application", "job"))
    world = build_world(app, owner.email, organiser.email) if needs_world else None
    acting = {"owner": owner, "organiser": organiser}.get(role) or _users_for(make_user, role)
    if acting is not None:
        assert login(client, acting.email, acting.password).status_code == 302
    url = _url(app, template, world, {"owner": owner, "target": target})
    token = csrf_token(client, "/login" if role == "anonymous" else "/account/password")
    _check(client.post(url, data={"csrf_token": token}), expected_by_role[role], role, method, url)

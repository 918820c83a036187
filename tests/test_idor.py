"""IDOR: every object a URL names by an integer id, tried by a user of the right role who has no right to it.

``OBJECT_TYPES`` has one row per integer URL parameter of the app: who owns
such an object, who the same-role stranger is, and per world the URLs tried.
Each test builds one world of real objects through the operations, then, for
every URL: the stranger is refused (404: ids cannot be probed; admin-only
objects answer 403 to every non-administrator before any object is loaded)
and a stranger's POST, sent with a valid CSRF token and the rightful user's
own form data, changes nothing in the database; then the rightful user's GET
(and POST) is answered, which shows the form data was good.

``MIXED`` URLs name two objects the user may each reach, but the child
belongs to another round (or product) than the parent: 404, so the child is
checked against its parent, not only the user's rights on either.

``test_every_integer_url_parameter_has_an_idor_row`` fails for a new object
type without a row here.
"""
from dataclasses import dataclass, field

import pytest
from werkzeug.routing import IntegerConverter

from tests.idor_worlds import WORLDS, Visitors, changed_tables, form_on, mutable_rows
from voting.core.clock import today_vn

TODAY = today_vn().isoformat()  # as a browser's date input sends it
REASON = {"reason": "Kiểm tra quyền truy cập."}


@dataclass(frozen=True)
class Probe:
    """One URL tried by ``stranger`` (refused) and by ``rightful`` (answered ``then``; a 302 goes ``to``)."""

    method: str
    url: str
    rightful: str
    stranger: str
    data: dict = field(default_factory=dict)
    then: int = 200
    key: str | None = None   # the world's id that fills the object's own parameter, when not of that name
    to: str | None = None    # where a 302 leads, with the world's ids

    def url_for(self, name, ids, missing=False):
        """The URL with ``ids``; the object's own parameter ``name`` names nothing when ``missing``."""
        own = 999999 if missing else ids[self.key or name]
        return self.url.format(**{**ids, name: own})


@dataclass(frozen=True)
class ObjectType:
    owner: str
    stranger: str
    checks: dict          # world name -> probes
    refusal: int = 404


def get(url, rightful, stranger, then, key=None):
    return Probe("GET", url, rightful, stranger, then=then, key=key)


def post(url, rightful, stranger, data=None, then=302, key=None, to=None):
    return Probe("POST", url, rightful, stranger, dict(REASON if data is None else data), then, key, to)


DECISION = {"decision_number": "99/QĐ-UBND", "decision_on": TODAY, "signer_name": "Lê Văn A",
            "signer_title": "Phó Chủ tịch"}

OBJECT_TYPES = {
    "application_id": ObjectType(
        "the producer who applied; the organiser of its round; its round's jurors",
        "another producer; another province's organiser; a juror of another round", {
            "dossier": (
                get("/producer/applications/{application_id}", "owner", "producer", 200),
                get("/organiser/applications/{application_id}", "organiser", "organiser_elsewhere", 200),
                post("/organiser/applications/{application_id}", "organiser", "organiser_elsewhere",
                     {"decision": "return", "message": "Bổ sung giấy đăng ký kinh doanh."},
                     to="/organiser/applications/{waiting_application_id}"),  # on to the next dossier waiting
                post("/producer/applications/{application_id}/withdraw", "owner", "producer",
                     to="/producer/applications/{application_id}"),
            ),
            "scoring": (
                get("/jury/rounds/{round_id}/entries/{application_id}", "juror", "juror_elsewhere", 200),
                get("/jury/rounds/{round_id}/entries/{application_id}/files/{photo_id}", "juror",
                    "juror_elsewhere", 200),
            ),
            "deliberation": (
                post("/rounds/{round_id}/results/entries/{application_id}/strike", "chair", "organiser_elsewhere",
                     to="/rounds/{round_id}/results"),
                # The owner's first complaint is still open: the page comes back with the refusal, 400.
                post("/producer/applications/{application_id}/complaint", "owner", "producer",
                     {"text": "Xin xem lại điểm tiêu chí bao bì."}, then=400),
            ),
        }),
    "authority_id": ObjectType(
        "the administrator (issuing authorities are platform settings)", "a non-administrator (an organiser)", {
            "admin": (
                get("/admin/authorities/{authority_id}", "admin", "organiser", 200),
                Probe("POST", "/admin/authorities/{authority_id}", "admin", "organiser",
                      {"from_page": "/admin/authorities/{authority_id}"}, 302, to="/admin/authorities"),
            ),
        }, refusal=403),
    "certificate_id": ObjectType(
        "the certified producer; the organisers of its round", "another producer; another province's organiser", {
            "certified": (
                get("/certificates/{certificate_id}.pdf", "owner", "producer", 200),
                get("/certificates/{certificate_id}.pdf", "organiser", "organiser_elsewhere", 200),
                get("/certificates/{certificate_id}/scans", "organiser", "organiser_elsewhere", 200),
                get("/certificates/{certificate_id}", "organiser", "organiser_elsewhere", 200),
                post("/certificates/{certificate_id}/suspend", "organiser", "organiser_elsewhere",
                     {"category": "other", "reason": "Tạm dừng để kiểm tra mẫu."},
                     to="/certificates/{certificate_id}"),
            ),
        }),
    "complaint_id": ObjectType(
        "the council's chair and secretary of its round", "another province's organiser", {
            "deliberation": (
                post("/rounds/{round_id}/results/complaints/{complaint_id}/answer", "chair", "organiser_elsewhere",
                     {"outcome": "dismissed", "answer": "Điểm chấm đúng quy định."}, to="/rounds/{round_id}/results"),
            ),
        }),
    "conflict_id": ObjectType(
        "the council's chair and secretary of its round", "the chair of another round", {
            "scoring": (post("/council/conflicts/{conflict_id}/dismiss", "chair", "chair_elsewhere",
                             to="/council/rounds/{round_id}"),),
        }),
    "decision_id": ObjectType(
        "the organisers and council of its round", "another province's organiser", {
            "deliberation": (
                get("/rounds/{round_id}/results/decisions/{decision_id}/minutes.pdf", "organiser",
                    "organiser_elsewhere", 200),
                get("/rounds/{round_id}/results/decisions/{decision_id}/list.pdf", "chair", "organiser_elsewhere", 200),
                # Recorded already: the organiser's valid form meets the operation's refusal, 400.
                post("/rounds/{round_id}/results/decisions/{decision_id}", "organiser", "organiser_elsewhere",
                     DECISION, then=400),
            ),
        }),
    "file_id": ObjectType(
        "the producer whose product it is; the organisers and eligible jurors of a round it is entered in",
        "another producer; another province's organiser; a juror of another round", {
            "dossier": (
                get("/producer/files/{file_id}", "owner", "producer", 200, key="photo_id"),
                get("/organiser/applications/{application_id}/files/{file_id}", "organiser",
                    "organiser_elsewhere", 200, key="document_id"),
                post("/producer/files/{file_id}/delete", "owner", "producer", key="spare_photo_id",
                     to="/producer/products/{spare_product_id}#photos"),
            ),
            "scoring": (
                get("/jury/rounds/{round_id}/entries/{application_id}/files/{file_id}", "juror",
                    "juror_elsewhere", 200, key="photo_id"),
            ),
        }),
    "job_id": ObjectType(
        "the organisers of the job's round", "another province's organiser", {
            "dossier": (
                get("/certificates/jobs/{job_id}.json", "organiser", "organiser_elsewhere", 200),
                get("/certificates/jobs/{job_id}/download", "organiser", "organiser_elsewhere", 200),
            ),
        }),
    "juror_id": ObjectType(
        "the organisers of the juror's round", "another province's organiser", {
            "scoring": (get("/organiser/rounds/{round_id}/jury/{juror_id}/edit", "organiser",
                            "organiser_elsewhere", 200),
                        post("/organiser/rounds/{round_id}/jury/{juror_id}/remove", "organiser",
                             "organiser_elsewhere", to="/organiser/rounds/{round_id}/council"),),
        }),
    "member_id": ObjectType(
        "the organisers of the member's round", "another province's organiser", {
            "scoring": (get("/organiser/rounds/{round_id}/council/{member_id}/edit", "organiser",
                            "organiser_elsewhere", 200),
                        post("/organiser/rounds/{round_id}/council/{member_id}/remove", "organiser",
                             "organiser_elsewhere", to="/organiser/rounds/{round_id}/council"),),
        }),
    "nomination_id": ObjectType(
        "the organiser of the nominating round", "another province's organiser", {
            "certified": (post("/organiser/nominations/{nomination_id}/withdraw", "organiser", "organiser_elsewhere",
                               {"reason": "Cơ sở xin rút."},
                               to="/organiser/rounds/{round_id}/nominate?target={target_round_id}"),),
        }),
    "product_id": ObjectType(
        "the producer who made it", "another producer", {
            "dossier": (
                get("/producer/products/{product_id}", "owner", "producer", 200),
                post("/producer/products/{product_id}/publish", "owner", "producer",
                     to="/producer/products/{product_id}"),
            ),
        }),
    "report_id": ObjectType(
        "the organisers answering for the certificate's authority", "another province's organiser", {
            "certified": (post("/certificates/fake-reports/{report_id}/handled", "organiser",
                               "organiser_elsewhere", to="/certificates/fake-reports"),),
        }),
    "round_id": ObjectType(
        "its organisers; its council; its jury", "another province's organiser; another round's chair or juror", {
            "dossier": (
                get("/organiser/rounds/{round_id}", "organiser", "organiser_elsewhere", 200),
                post("/organiser/rounds/{round_id}/registration", "organiser", "organiser_elsewhere",
                     to="/organiser/rounds/{round_id}"),
                post("/organiser/rounds/{round_id}/guidance", "organiser", "organiser_elsewhere",
                     to="/organiser/rounds/{round_id}/scoring-settings#guidance"),
            ),
            "scoring": (
                get("/council/rounds/{round_id}", "chair", "chair_elsewhere", 200),
                get("/jury/rounds/{round_id}", "juror", "juror_elsewhere", 200),
            ),
            "deliberation": (
                get("/rounds/{round_id}/results", "organiser", "organiser_elsewhere", 200),
                post("/rounds/{round_id}/results/publish", "organiser", "organiser_elsewhere", then=302,
                     to="/rounds/{round_id}/results"),
            ),
        }),
    "sheet_id": ObjectType(
        "the juror who filled it; the council's chair and secretary of its round",
        "a juror of the round not on that sheet; the chair of another round; another province's organiser", {
            "scoring": (post("/council/sheets/{sheet_id}/reopen", "chair", "chair_elsewhere",
                             to="/council/rounds/{round_id}"),),
            "deliberation": (
                post("/jury/rounds/{round_id}/sheets/{sheet_id}/justification", "juror", "juror_peer",
                     {"justification": "Sản phẩm có bao bì vượt trội."}, to="/jury/rounds/{round_id}#justifications"),
                post("/rounds/{round_id}/results/sheets/{sheet_id}/justification-request", "chair",
                     "organiser_elsewhere", {"reason": "Điểm lệch nhiều so với các giám khảo khác."},
                     to="/rounds/{round_id}/results"),
            ),
        }),
    "strike_id": ObjectType(
        "the council's chair and secretary of its round", "another province's organiser", {
            "deliberation": (post("/rounds/{round_id}/results/strikes/{strike_id}/restore", "chair",
                                  "organiser_elsewhere", to="/rounds/{round_id}/results"),),
        }),
    "user_id": ObjectType(
        "the administrator", "a non-administrator (an organiser)", {
            "admin": (
                get("/admin/users/{user_id}", "admin", "organiser", 200),
                post("/admin/users/{user_id}/active", "admin", "organiser", to="/admin/users/{user_id}"),
            ),
        }, refusal=403),
}

# String references in URLs: public by design, or not an object at all.
PUBLIC_REFS = {
    "ref": "a registry page: a certified product or its producer, public",
    "number": "a certificate number in the public registry",
    "token": "a signed verification token or a password-reset token: the secret is the token itself",
    "gtin": "a GS1 Digital Link, resolved to the public registry",
    "rest": "the rest of a GS1 Digital Link",
    "code": "a language or province code",
    "filename": "a static file",
    "action": "suspend or revoke, the verb of the certificate's URL",
    "export": "zip or pdf, the kind of a round's export",
    "kind": "decision or minutes, which of a vote's documents is signed, uploaded or downloaded signed",
}

# A child id of round B under round A's URL, by a user who has rights on both rounds: (world, user, method, url, data).
MIXED = {
    "organiser.application_file": ("dossier", "organiser", "GET",
                                   "/organiser/applications/{application_id}/files/{other_photo_id}", None),
    "organiser.juror_remove": ("scoring", "organiser", "POST",
                               "/organiser/rounds/{round_id}/jury/{other_juror_id}/remove", REASON),
    "organiser.council_member_remove": ("scoring", "organiser", "POST",
                                        "/organiser/rounds/{round_id}/council/{other_member_id}/remove", REASON),
    "organiser.council_member_edit": ("scoring", "organiser", "GET",
                                      "/organiser/rounds/{round_id}/council/{other_member_id}/edit", None),
    "organiser.juror_edit": ("scoring", "organiser", "GET", "/organiser/rounds/{round_id}/jury/{other_juror_id}/edit",
                             None),
    "organiser.support_member_edit": ("scoring", "organiser", "GET",
                                      "/organiser/rounds/{round_id}/support/{other_support_id}/edit", None),
    "organiser.juror_make_head": ("scoring", "organiser", "POST",
                                  "/organiser/rounds/{round_id}/jury/{other_juror_id}/head", REASON),
    "organiser.support_member_remove": ("scoring", "organiser", "POST",
                                        "/organiser/rounds/{round_id}/support/{other_support_id}/remove", REASON),
    "jury.sheet": ("scoring", "juror", "GET", "/jury/rounds/{round_id}/entries/{other_application_id}", None),
    "jury.sheet_pdf": ("scoring", "juror", "GET", "/jury/rounds/{round_id}/entries/{other_application_id}/sheet.pdf",
                       None),
    "jury.entry_file": ("scoring", "juror", "GET",
                        "/jury/rounds/{round_id}/entries/{application_id}/files/{other_photo_id}", None),
    "jury.justify": ("deliberation", "juror", "POST", "/jury/rounds/{round_id}/sheets/{other_sheet_id}/justification",
                     {"justification": "Sản phẩm có bao bì vượt trội."}),
    "results.strike": ("deliberation", "chair", "POST",
                       "/rounds/{round_id}/results/entries/{other_application_id}/strike", REASON),
    "results.restore": ("deliberation", "chair", "POST", "/rounds/{round_id}/results/strikes/{other_strike_id}/restore",
                        REASON),
    "results.decide": ("deliberation", "organiser", "POST", "/rounds/{round_id}/results/decisions/{other_decision_id}",
                       DECISION),
    "results.minutes_pdf": ("deliberation", "organiser", "GET",
                            "/rounds/{round_id}/results/decisions/{other_decision_id}/minutes.pdf", None),
    "results.decision_list_pdf": ("deliberation", "organiser", "GET",
                                  "/rounds/{round_id}/results/decisions/{other_decision_id}/list.pdf", None),
    "results.decision_list_docx": ("deliberation", "organiser", "GET",
                                   "/rounds/{round_id}/results/decisions/{other_decision_id}/list.docx", None),
    "results.decision_pdf": ("deliberation", "organiser", "GET",
                             "/rounds/{round_id}/results/decisions/{other_decision_id}/decision.pdf", None),
    "results.decision_docx": ("deliberation", "organiser", "GET",
                              "/rounds/{round_id}/results/decisions/{other_decision_id}/decision.docx", None),
    "results.minutes_docx": ("deliberation", "organiser", "GET",
                             "/rounds/{round_id}/results/decisions/{other_decision_id}/minutes.docx", None),
    "results.ask_justification": ("deliberation", "chair", "POST",
                                  "/rounds/{round_id}/results/sheets/{other_sheet_id}/justification-request",
                                  {"reason": "Điểm lệch nhiều."}),
    "results.answer": ("deliberation", "chair", "POST",
                       "/rounds/{round_id}/results/complaints/{other_complaint_id}/answer",
                       {"outcome": "dismissed", "answer": "Điểm chấm đúng quy định."}),
    "registry.photo": ("certified", "public", "GET", "/registry/{ref}/photos/{other_photo_id}", None),
}

# The same URLs with the parent's own child, in the order tried (sorted by endpoint within a world): the status,
# and where a 302 leads.
MIXED_OWN = {
    "organiser.application_file": (200, None),
    "organiser.juror_remove": (302, "/organiser/rounds/{round_id}/council"),
    "organiser.council_member_remove": (302, "/organiser/rounds/{round_id}/council"),
    "organiser.council_member_edit": (200, None),
    "organiser.juror_edit": (200, None),
    "organiser.support_member_edit": (200, None),
    "organiser.juror_make_head": (302, "/organiser/rounds/{round_id}/council#juror"),
    "organiser.support_member_remove": (302, "/organiser/rounds/{round_id}/council"),
    "jury.sheet": (200, None),
    "jury.sheet_pdf": (200, None),
    "jury.entry_file": (200, None),
    "jury.justify": (302, "/jury/rounds/{round_id}#justifications"),
    "results.strike": (302, "/rounds/{round_id}/results"),
    "results.restore": (302, "/rounds/{round_id}/results"),
    "results.decide": (400, None),  # recorded already: the operation's refusal, as in OBJECT_TYPES
    "results.minutes_pdf": (200, None),
    "results.decision_list_pdf": (200, None),
    "results.decision_list_docx": (200, None),
    "results.decision_pdf": (200, None),
    "results.decision_docx": (200, None),
    "results.minutes_docx": (200, None),
    "results.ask_justification": (302, "/rounds/{round_id}/results"),
    "results.answer": (302, "/rounds/{round_id}/results"),
    "registry.photo": (200, None),
}


@pytest.fixture
def build(app, make_user, monkeypatch, request):
    """Build a world by name; return it with its visitors."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")

    def build_named(name):
        if name == "certified":
            request.getfixturevalue("signer")  # issuing signs
        world = WORLDS[name](app, make_user)
        return world, Visitors(app, world.people)

    return build_named


# ---------- the tests ----------

def test_every_integer_url_parameter_has_an_idor_row(app):
    """A new object type named by id in a URL fails here until it has a row in OBJECT_TYPES."""
    integer, other = set(), set()
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            (integer if isinstance(converter, IntegerConverter) else other).add(name)  # ours: voting.core.routing
    assert sorted(integer - set(OBJECT_TYPES)) == [], "integer URL parameters without an IDOR row"
    assert sorted(set(OBJECT_TYPES) - integer) == [], "IDOR rows for parameters no URL has any more"
    assert sorted(other - set(PUBLIC_REFS)) == [], "string URL parameters not declared public"


def test_each_object_type_tries_a_get_and_a_post_where_the_app_has_them(app):
    for name, kind in OBJECT_TYPES.items():
        methods = {m for rule in app.url_map.iter_rules() if name in rule.arguments for m in rule.methods}
        probes = [probe for probes in kind.checks.values() for probe in probes]
        assert {probe.method for probe in probes} == methods & {"GET", "POST"}, name
        assert all(f"{{{name}}}" in probe.url for probe in probes), f"{name}: a probe whose URL lacks {name}"
        assert set(kind.checks) <= set(WORLDS), name


def test_each_mixed_url_names_a_child_of_the_other_round():
    assert set(MIXED_OWN) == set(MIXED)
    for endpoint, (world, _who, _method, template, _data) in MIXED.items():
        assert world in WORLDS and "{other_" in template, endpoint


CHECKS = [(name, world) for name in sorted(OBJECT_TYPES) for world in sorted(OBJECT_TYPES[name].checks)]


@pytest.mark.parametrize(("name", "world_name"), CHECKS, ids=[f"{n}-{w}" for n, w in CHECKS])
def test_a_stranger_cannot_reach_an_object_by_its_id(app, build, name, world_name):
    kind = OBJECT_TYPES[name]
    world, people = build(world_name)
    probes = kind.checks[world_name]
    forms = {}
    for probe in probes:
        url = probe.url_for(name, world.ids)
        data = probe.data
        if "from_page" in data:
            data = forms[url] = form_on(people.client(probe.rightful), data["from_page"].format(**world.ids))
        people.client(probe.stranger)  # signed in before the snapshot: signing in is recorded
        before = mutable_rows(app) if probe.method == "POST" else None
        response = people.request(probe.stranger, probe.method, url, data)
        assert response.status_code == kind.refusal, f"{probe.stranger} {probe.method} {url}"
        # An id that names nothing answers the same: the refusal tells a stranger nothing.
        missing = probe.url_for(name, world.ids, missing=True)
        assert people.request(probe.stranger, probe.method, missing, data).status_code == kind.refusal, missing
        if before is not None:
            assert changed_tables(before, mutable_rows(app)) == [], f"{probe.stranger} POST {url} changed the database"
    # The rightful user next, GETs first: a POST may move the object on (withdrawn, removed).
    for probe in sorted(probes, key=lambda p: p.method != "GET"):
        url = probe.url_for(name, world.ids)
        response = people.request(probe.rightful, probe.method, url, forms.get(url, probe.data))
        assert response.status_code == probe.then, f"{probe.rightful} {probe.method} {url}: {response.status_code}"
        if probe.then == 302:
            assert probe.to and response.headers["Location"] == probe.to.format(**world.ids), \
                f"{probe.rightful} {probe.method} {url} went to {response.headers['Location']}"


MIXED_BY_WORLD = {world: sorted(endpoint for endpoint, spec in MIXED.items() if spec[0] == world)
                  for world in {spec[0] for spec in MIXED.values()}}


@pytest.mark.parametrize("world_name", sorted(MIXED_BY_WORLD))
def test_a_child_of_another_round_under_a_parent_the_user_reaches_is_404(app, build, world_name):
    """Both ids are the user's to reach, separately; together they name nothing: 404, and nothing written."""
    world, people = build(world_name)
    failures = []
    for endpoint in MIXED_BY_WORLD[world_name]:
        _world, who, method, template, data = MIXED[endpoint]
        people.client(who)
        before = mutable_rows(app)
        response = people.request(who, method, template.format(**world.ids), data)
        if response.status_code != 404 or changed_tables(before, mutable_rows(app)):
            failures.append(f"{endpoint}: {response.status_code}, changed {changed_tables(before, mutable_rows(app))}")
        # The same URL with the parent's own child is answered: the 404 above is the mix, not the form.
        own = people.request(who, method, template.replace("{other_", "{").format(**world.ids), data)
        status, to = MIXED_OWN[endpoint]
        if own.status_code != status or (to and own.headers["Location"] != to.format(**world.ids)):
            failures.append(f"{endpoint}: the parent's own child answers {own.status_code} "
                            f"{own.headers.get('Location')}")
    assert failures == []

"""The API answers as its OpenAPI document says: schemathesis with all its checks, in process over WSGI.

Every operation of ``/api/v1/openapi.json`` (those added later too) is run through schemathesis'
phases (the document's examples, its coverage of boundaries and of schema-violating values, then
fuzzing) with every check it has: server errors, status codes, content types, response headers
and bodies against their schemas, schema-violating requests refused and schema-valid ones
accepted, undeclared methods answered 405 with ``Allow``, and the rest. A fixed seed and
derandomised generation make the run the same every time, ``EXAMPLES`` cases per operation in the
fuzzing phase (more with ``SCHEMATHESIS_EXAMPLES``).

The database holds real certificates (issued with their PDFs, one of them revoked) and paper ones,
so that the verification API meets valid, revoked, forged and unknown tokens (given to
schemathesis as the token parameter's examples) and the registry answers with items.
"""
import collections
import os
import re

import pytest
import schemathesis
from flask import request, request_finished
from schemathesis.engine import StopReason, events, from_schema

from certificates.operations.lifecycle import revoke_certificate
from certificates.rules.signing import load_private_key, make_token
from tests.support.certificates import certify, issue_certificates
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from voting.extensions import db
from voting.models import User
from certificates.models import Certificate, SigningKey

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", 50))
SEED = 20260316


@pytest.fixture
def unlimited(app, monkeypatch):
    """The per-client limits out of this app's way (one client sends hundreds of requests), by raising
    them in its config: ``RATELIMIT_ENABLED`` would leak into the other tests' apps (one limiter)."""
    for name in ("REGISTRY_API_RATE_LIMIT", "VERIFY_RATE_LIMIT", "REGISTRY_CSV_RATE_LIMIT"):
        monkeypatch.setitem(app.config, name, "1000000 per minute")


@pytest.fixture
def tokens(app, make_user, signer, registry, monkeypatch):  # noqa: F811
    """Tokens of every kind the verification API tells apart: valid, revoked, forged, not found."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=2, failing=0)
    issued = issue_certificates(app, hall)
    with app.app_context():
        valid, revoked = (db.session.get(Certificate, certificate_id) for certificate_id, _number in issued)
        revoke_certificate(db.session.get(User, hall.organiser.id), revoked, "other", "Vi phạm chất lượng")
        db.session.commit()
        key = db.session.get(SigningKey, valid.signing_key_id)
        unknown = make_token(load_private_key(app.config["SIGNING_KEY_FILE"]), key.kid, "TNG-2026-9999",
                             valid.issued_on, valid.expires_on, valid.digest)
        changed = valid.token[:30] + ("A" if valid.token[30] != "A" else "B") + valid.token[31:]
        return {"valid": valid.token, "revoked": revoked.token, "forged": changed, "not_found": unknown}


def _label(path):
    """An OpenAPI path and a Flask rule alike: ``/api/v1/verify/{token}``."""
    return re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", path)


@pytest.fixture
def answered(app):
    """``(method, path template)`` → how many requests the app answered, counted by the app itself; and
    ``.verdicts``, the statuses the verification API answered."""
    counts = collections.Counter()
    counts.verdicts = set()  # the verification API's answers, by status

    def count(sender, response, **_extra):
        if request.url_rule is not None:
            counts[(request.method, _label(request.url_rule.rule))] += 1
        if request.endpoint == "verify.api" and request.method == "GET" and response.status_code == 200:  # not OPTIONS
            counts.verdicts.add(response.get_json()["status"])

    request_finished.connect(count, app)
    yield counts
    request_finished.disconnect(count, app)


def _failures(event):
    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                case = recorder.cases[case_id].value
                yield (check.name, case.operation.label, failure.title,
                       f"{failure.title}: {failure.message}\n{check.failure_info.code_sample}")


def run_schemathesis(app, document):
    """Run every phase with every check; the failures found, one per (check, operation, title)."""
    config = schemathesis.Config.from_dict({
        "seed": SEED, "continue-on-failure": True,
        # Generation may be slow on a busy machine: hypothesis's complaint about that says nothing of the API.
        "suppress-health-check": ["too_slow"],
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "mode": "all", "database": "none"},
        "checks": {"enabled": True},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True}},
    })
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = app  # as schemathesis.openapi.from_wsgi does: requests go to the app in process
    failures = {}
    for event in from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            for check, operation, title, text in _failures(event):
                failures.setdefault((check, operation, title), text)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            failures.setdefault(("error", type(event).__name__, ""), repr(event)[:2000])
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:  # the checks that judge the run as a whole
                failures.setdefault(("run", failure.title, ""), f"{failure.title}: {failure.message}")
            if event.stop_reason != StopReason.COMPLETED:
                failures.setdefault(("run", "stopped", ""), f"the run stopped early: {event.stop_reason}")
    return failures


def test_schemathesis_runs_every_operation_of_the_document_and_finds_no_failure(app, client, unlimited, tokens,
                                                                         answered):
    document = client.get("/api/v1/openapi.json").get_json()
    verify = document["paths"]["/api/v1/verify/{token}"]["get"]
    token = next(p for p in verify["parameters"] if p["name"] == "token")
    token["examples"] = {kind: {"value": value} for kind, value in tokens.items()}

    failures = run_schemathesis(app, document)

    assert not failures, "\n\n".join(failures.values())
    # Every operation the document lists was answered by the app: with parameters, at least EXAMPLES
    # times (the fuzzing phase alone); without, a request has only a few forms (methods aside).
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            seen = answered[(method.upper(), path)]
            wanted = EXAMPLES if operation.get("parameters") else 1
            assert seen >= wanted, f"{method.upper()} {path}: {seen} requests, expected at least {wanted}"
    # The examples reached the app: schemathesis met every kind of verdict.
    assert set(tokens) <= answered.verdicts

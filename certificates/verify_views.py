"""What a phone opens after scanning: ``/v/<token>``, its JSON twin, and the published keys.

The token is checked before the database is trusted (see
:mod:`certificates.verification`); a forged token gets the same plain answer
whatever was changed in it.
"""
import json
from datetime import date

from flask import Blueprint, jsonify, render_template
from sqlalchemy import select

from certificates.lineage import higher_certificates, lower_certificate
from certificates.signing import jwk_set
from certificates.verification import status_payload, verify
from voting.access import public
from voting.clock import today_vn
from voting.extensions import db
from voting.models import SigningKey

blueprint = Blueprint("verify", __name__)
#: Tokens are ~150 characters; anything far longer is refused before any work.
MAX_TOKEN = 512


def _verify(token):
    return verify(token if len(token) <= MAX_TOKEN else "", today_vn())  # "" is malformed: forged


@blueprint.get("/v/<path:token>")
@public
def page(token):
    verification = _verify(token)
    facts = json.loads(verification.certificate.snapshot) if verification.certificate else {}
    decision_on = date.fromisoformat(facts["decision_on"]) if facts.get("decision_on") else None
    certificate = verification.certificate
    response = render_template("certificates/verify.html", verification=verification, facts=facts,
                               decision_on=decision_on,
                               higher=higher_certificates(certificate) if certificate else [],
                               lower=lower_certificate(certificate) if certificate else None)
    # Status can change (revocation): never cached by a shared cache.
    return response, 200, {"Cache-Control": "no-store"}


@blueprint.get("/api/v1/verify/<path:token>")
@public
def api(token):
    response = jsonify(status_payload(_verify(token)))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"  # readable by any verifier app
    return response


@blueprint.get("/.well-known/cnnt-keys.json")
@public
def keys():
    """Every signing key ever used (active, retired and compromised), as a JWK set."""
    rows = db.session.scalars(select(SigningKey).order_by(SigningKey.id)).all()
    response = jsonify(jwk_set(rows))
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

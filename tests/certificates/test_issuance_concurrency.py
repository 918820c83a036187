"""Issuing rounds at once: the PDFs are rendered with no transaction open, so no issuer waits on another's rendering.

On SQLite a round's lock is the whole database's write lock: a rendering done while holding it made every
other writer wait seconds, and a second issuer failed with "database is locked" once ``busy_timeout`` ran out.
"""
import threading

from sqlalchemy import func, select

import certificates.operations.issuance as issuance_module
from certificates.jobs import issue_round
from certificates.models import Certificate
from certificates.operations.round_issuance import start_issuance
from tests.support.certificates import certify
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import AuditEvent, Round, User


def _issue(app, hall):
    with app.app_context():
        return issue_round(db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id), today_vn())


def test_a_second_round_is_issued_whole_while_the_first_is_rendering(app, make_user, signer, monkeypatch):
    first, second = (certify(app, make_user, entries=2, failing=0) for _ in range(2))
    real_render, seen = issuance_module.render_pages, {"in_transaction": [], "second": None}

    def render_while_the_other_round_is_issued(docs):
        """The real rendering, during which the other round is issued from start to finish."""
        seen["in_transaction"].append(db.session().in_transaction())
        if seen["second"] is None:
            seen["second"] = "started"
            outcome = {}

            def issue_second():
                try:
                    outcome["issued"] = _issue(app, second)
                except Exception as error:  # reported below, by the main thread
                    outcome["error"] = error

            other = threading.Thread(target=issue_second)
            other.start()
            other.join(60)
            seen["second"] = outcome
        return real_render(docs)

    monkeypatch.setattr(issuance_module, "render_pages", render_while_the_other_round_is_issued)
    assert _issue(app, first) == 2
    assert seen["second"] == {"issued": 2}
    assert seen["in_transaction"] and not any(seen["in_transaction"])
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Certificate)
                                   .where(Certificate.pdf_storage_name.is_not(None)))
        sequences = sorted(db.session.scalars(select(Certificate.sequence)))
    assert stored == 4 and sequences == [1, 2, 3, 4]


def test_a_pdf_stored_meanwhile_by_another_issuer_is_kept(app, make_user, signer, monkeypatch):
    """Two issuers render the same unrendered certificates: the first to store wins, the second's copy is dropped."""
    hall = certify(app, make_user, entries=2, failing=0)
    real_render, recorded = issuance_module.render_pages, {}

    def render_after_the_other_issuer_stored(docs):
        pdfs = real_render(docs)
        if not recorded:
            recorded["started"] = True
            recorded["first"] = _issue(app, hall)  # numbers nothing new; renders and stores what is unrendered
            with app.app_context():
                recorded["hashes"] = sorted(db.session.scalars(select(Certificate.pdf_sha256)))
        return pdfs

    with app.app_context():  # numbered and committed, but no PDF yet: as after an interrupted run
        actor, round_ = db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id)
        issuance = start_issuance(actor, round_, today_vn())
        db.session.commit()
        issuance.number(issuance.entries)
        db.session.commit()
    monkeypatch.setattr(issuance_module, "render_pages", render_after_the_other_issuer_stored)
    assert _issue(app, hall) == 0
    with app.app_context():
        hashes = sorted(db.session.scalars(select(Certificate.pdf_sha256)))
        stores = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action == "certificate.store_pdf"))
    assert recorded["first"] == 0 and None not in recorded["hashes"]
    assert hashes == recorded["hashes"] and stores == 2

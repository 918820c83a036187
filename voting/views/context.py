"""Values every template may use."""
from flask import current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

from voting.models import Role
from voting.core.passwords import MIN_LENGTH
from voting.views.domain_messages import problem_message
from voting.views.round_messages import precondition_message


def _upload_limits():
    config = current_app.config
    photo_mb, document_mb = config.get("UPLOAD_MAX_PHOTO_MB", 10), config.get("UPLOAD_MAX_DOCUMENT_MB", 20)
    return {"photo_mb": photo_mb, "document_mb": document_mb,
            "photo_bytes": photo_mb * 1024 * 1024, "document_bytes": document_mb * 1024 * 1024}


def _unread():
    if not current_user.is_authenticated:
        return 0
    from voting.operations.notifications import unread_count

    return unread_count(current_user)


def _queue_once(name, roles, build):
    """The signed-in user's queue ``name`` (None for other roles), worked out once per request: the header's
    badge and the home page show the same count from the same queries."""
    if not current_user.is_authenticated or current_user.role not in roles:
        return None
    if name not in g:
        setattr(g, name, build())
    return getattr(g, name)


def organiser_work():
    from voting.queries.organiser_queue import organiser_queue

    return _queue_once("organiser_work", (Role.ORGANISER,), lambda: organiser_queue(current_user))


def jury_work():
    """Organisers sit on juries too."""
    from voting.queries.jury_queue import jury_queue

    return _queue_once("jury_work", (Role.JUROR, Role.ORGANISER), lambda: jury_queue(current_user))


def producer_work():
    from voting.core.clock import today_vn
    from voting.queries.producer_queue import producer_queue

    return _queue_once("producer_work", (Role.PRODUCER,), lambda: producer_queue(current_user.producer, today_vn()))


def register_context(app):
    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "Role": Role,
            "password_min_length": MIN_LENGTH,
            "user_role": current_user.role if current_user.is_authenticated else None,
            "request_path": request.full_path.rstrip("?") if request else "/",
            "problem_message": problem_message,
            "precondition_message": precondition_message,
            "upload_limits": _upload_limits(),
            "unread_notifications": _unread,
            "organiser_work": organiser_work,
            "jury_work": jury_work,
            "producer_work": producer_work,
        }

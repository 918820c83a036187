"""Values every template may use."""
from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

from voting.models import Role
from voting.passwords import MIN_LENGTH


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
        }

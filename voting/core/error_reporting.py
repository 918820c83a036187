"""Where errors are reported.

Always: the log. Every unhandled error and every failed background job is an ERROR line carrying
the request id (voting.core.request_log), which the 500 page shows the user; alert on those lines.

With ``SENTRY_DSN`` set: also a Sentry-compatible service (sentry.io, or GlitchTip/Sentry hosted
on the government network itself), through the official SDK: unhandled errors in requests and
every ERROR log line (failed jobs included) become events, tagged with the request id. Nothing
personal is sent: no cookies, no form or JSON bodies (passwords, dossiers), no user addresses.
"""
import logging


def init_error_reporting(app):
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config.get("ENV_NAME", "production"),
        release=app.config.get("RELEASE") or None,
        integrations=[FlaskIntegration(), LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
        # send_default_pii stays at its default (off): no cookies, user ids or addresses.
        max_request_body_size="never",
        include_local_variables=False,  # a view's locals hold what the user typed
        traces_sample_rate=0,  # errors only: no performance data leaves the network
        before_send=_tag_request_id,
    )


def _tag_request_id(event, _hint):
    from voting.core.request_log import current_request_id

    request_id = current_request_id()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event

"""The served app's calendar, movable by the browser tests (never on a deployment).

Every Python process of a ``LiveServer`` (gunicorn's workers, the certificate worker it spawns,
``flask`` commands) starts with this folder on ``PYTHONPATH``, so this module runs first and
replaces ``voting.core.clock.today_vn`` before anything imports it: the date is Vietnam's date plus the
number of days written in the file ``E2E_CLOCK_FILE`` (read on every call). A journey that must
wait out a legal window in days (the complaint window before certificates) moves the calendar
instead of waiting.
"""
import os

if os.environ.get("E2E_CLOCK_FILE"):
    from datetime import timedelta
    from pathlib import Path

    import voting.core.clock

    _clock_file = Path(os.environ["E2E_CLOCK_FILE"])
    _real_today_vn = voting.core.clock.today_vn

    def _moved_today_vn():
        try:
            days = int(_clock_file.read_text().strip() or 0)
        except FileNotFoundError:
            days = 0
        return _real_today_vn() + timedelta(days=days)

    voting.core.clock.today_vn = _moved_today_vn

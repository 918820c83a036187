"""Scan pages rendered once per state: the HTML of ``/v/<token>`` kept a minute in each worker.

A certificate on a shop's shelf is scanned again and again, and its page is the same every time
except for the moment it was checked; rendering it is about a third of a scan's CPU (issue 20).
The key is the page's weak ETag (a digest of everything the page shows: status, reason,
replacement, photo, lineage, language and the signed-in user) with the certified facts, the day
and the path, so any change a reader could see is rendered afresh; the moment of the check is put
in at each request. Each app keeps its own pages.
Only anonymous requests are kept (a signed-in user's menu carries a form token). A province or
authority renamed by an administrator shows on a kept page within ``SECONDS``.
"""
import hashlib
import secrets

from cachelib import SimpleCache
from flask import current_app
from markupsafe import escape

SECONDS = 60
#: Pages kept per worker (about 15 KB each).
PAGES = 1024
#: Stands for the moment of the check in a kept page; random, so no certificate's text can hold it.
CHECKED_AT = f"cnnt-checked-at-{secrets.token_hex(8)}"


def page_html(state, render, checked_at, keep):
    """The page's HTML: ``render(checked_at)``, or a kept rendering of ``state`` with ``checked_at`` put in.

    :param state: the texts that together name what the page shows.
    :param render: renders the page, given the text to show as the moment of the check.
    :param keep: whether this request's page may be kept and served from what was kept.
    """
    if not keep:
        return render(checked_at)
    pages = current_app.extensions.get("scan_pages")
    if pages is None:
        pages = current_app.extensions["scan_pages"] = SimpleCache(threshold=PAGES, default_timeout=SECONDS)
    key = hashlib.sha256("\x1f".join(state).encode()).hexdigest()
    html = pages.get(key)
    if html is None:
        html = render(CHECKED_AT)
        pages.set(key, html)
    return html.replace(CHECKED_AT, str(escape(checked_at)))

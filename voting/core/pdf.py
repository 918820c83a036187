"""PDF rendering shared by every printable document: score sheets, minutes and lists now, certificates later.

Templates are rendered by Flask from plain values, then laid out by WeasyPrint
with a URL fetcher that reads nothing but the app's own ``static/`` folder
(and inline ``data:`` images), like Indico's ``modules/receipts/util.py``. A
template links its assets relative to that folder::

    <link rel="stylesheet" href="css/pdf.css">
"""
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app

from voting.core import formatting

__all__ = [
    "format_points", "official_date", "pdf_response", "render_document", "render_pdf",
]

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def static_root():
    """Return the app's static folder, the only place PDF assets are read from."""
    return Path(current_app.static_folder).resolve()


def render_document(template_name, context, *, base_url=None):
    """Render a Jinja template of plain values and lay it out; return the WeasyPrint document.

    Use this to inspect the pages (count, anchors) before writing; otherwise
    :func:`render_pdf`.

    :param context: plain values only (strings, numbers, dates, dataclasses),
        never ORM objects: rendering must not touch the database.
    :param base_url: what relative URLs resolve against; the static folder by
        default. Whatever it is, only files in the static folder can be read.
    """
    # WeasyPrint (with Pango, fontTools and its CSS engine) costs about 0.5 s and tens of MB to import:
    # a web worker loads it with the first PDF it makes, not at start (the job worker loads it at start).
    from voting.core.pdf_engine import HTML, StaticOnlyURLFetcher, font_configuration, linked_stylesheets

    root = static_root()
    # Not render_template: the app's context processors read the request and the signed-in
    # user, and a document needs nothing but its own values, so it renders from a CLI
    # command or a worker too. Autoescaping still applies (the template ends in .html).
    html = current_app.jinja_env.get_template(template_name).render(context)
    # The static folder's stylesheets come parsed from a cache (pdf_engine.linked_stylesheets), unless the
    # links resolve elsewhere.
    html, stylesheets = linked_stylesheets(html, root) if base_url is None else (html, [])
    document = HTML(string=html, base_url=base_url or root.as_uri() + "/",
                    url_fetcher=StaticOnlyURLFetcher(root))
    return document.render(stylesheets=stylesheets, font_config=font_configuration())


def render_pdf(template_name, context, *, base_url=None):
    """Render a Jinja template of plain values to PDF bytes (see :func:`render_document`)."""
    return render_document(template_name, context, base_url=base_url).write_pdf()


def format_points(value):
    """Points the Vietnamese way, whatever the reader's language: "37,5"; None → ""."""
    return formatting.format_points(value, locale="vi")


def official_date(day):
    """Return (day, month, year) strings for "ngày … tháng … năm …" (Nghị định 30/2020).

    A leading zero only where the regulation wants one: days 1-9 and months 1-2.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def ascii_filename(filename, default="document.pdf"):
    """Return ``filename`` folded to ASCII letters, digits, dots, dashes and underscores."""
    decomposed = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    safe = _UNSAFE_FILENAME.sub("-", plain).strip("-.")
    return safe or default


def pdf_response(data, filename):
    """Return ``data`` as an inline, uncached PDF response named ``filename``."""
    response = Response(data, mimetype="application/pdf")
    fallback = ascii_filename(filename)
    disposition = f'inline; filename="{fallback}"'
    if fallback != filename:
        # RFC 6266: browsers that understand filename* keep the Vietnamese name.
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    response.headers["Content-Disposition"] = disposition
    response.headers["Cache-Control"] = "private, no-store"
    return response

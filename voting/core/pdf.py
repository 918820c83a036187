"""PDF rendering shared by every printable document: score sheets, minutes and lists now, certificates later.

Templates are rendered by Flask from plain values, then laid out by WeasyPrint
with a URL fetcher that reads nothing but the app's own ``static/`` folder
(and inline ``data:`` images), like Indico's ``modules/receipts/util.py``. A
template links its assets relative to that folder::

    <link rel="stylesheet" href="css/pdf.css">
"""
import mimetypes
import re
import threading
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from flask import Response, current_app
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from voting.core import formatting

# Importing WeasyPrint switches Pillow to accepting truncated images for the
# whole process; uploads must refuse them, and our PDFs embed only our own files.
ImageFile.LOAD_TRUNCATED_IMAGES = False

__all__ = [
    "StaticOnlyURLFetcher", "format_points", "official_date", "pdf_response", "render_document", "render_pdf",
]

# Inline images only: a data: URL of any other type (text/html, scripts) is refused.
DATA_MEDIA_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
# A FontConfiguration loads the system font list when created (tens of ms) and
# keeps @font-face files it has copied, so one is reused per thread; one per
# thread because Fontconfig and Pango objects are not safe to share across threads.
_fonts = threading.local()


def font_configuration():
    """Return this thread's WeasyPrint font configuration, creating it once."""
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


class StaticOnlyURLFetcher(URLFetcher):
    """Fetch ``file:`` URLs inside one folder and ``data:`` images; refuse everything else.

    Refusals raise :class:`ValueError`, which WeasyPrint logs before leaving the
    resource out of the document, so a hostile or mistaken URL never reaches the
    network or the rest of the file system.
    """

    def __init__(self, root):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            return self._fetch_file(url)
        if scheme == "data":
            return self._fetch_data(url)
        raise ValueError(f"refused URL (only the app's static files and data: images): {url[:80]}")

    def _fetch_file(self, url):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused file URL on another host: {url[:80]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"refused file outside the static folder: {url[:80]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def _fetch_data(self, url):
        media_type = url[len("data:"):].split(",", 1)[0].split(";", 1)[0].strip().lower()
        if media_type not in DATA_MEDIA_TYPES:
            raise ValueError(f"refused data: URL of type {media_type or 'text/plain'!r}")
        decoded = DataHandler().data_open(Request(url))
        return URLFetcherResponse(url, decoded.read(), {"Content-Type": media_type})


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
    root = static_root()
    # Not render_template: the app's context processors read the request and the signed-in
    # user, and a document needs nothing but its own values, so it renders from a CLI
    # command or a worker too. Autoescaping still applies (the template ends in .html).
    html = current_app.jinja_env.get_template(template_name).render(context)
    document = HTML(string=html, base_url=base_url or root.as_uri() + "/",
                    url_fetcher=StaticOnlyURLFetcher(root))
    return document.render(font_config=font_configuration())


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

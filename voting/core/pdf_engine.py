"""WeasyPrint and what the app sets around it, imported only where a PDF is made (``voting.core.pdf``).

Importing WeasyPrint loads Pango through cffi, fontTools and a CSS engine (about 0.5 s and tens of MB);
a web worker that never makes a PDF, and every command that does not, should not pay for it.
"""
import mimetypes
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint switches Pillow to accepting truncated images for the
# whole process; uploads must refuse them, and our PDFs embed only our own files.
# (voting.core.uploads also turns it off before each check, whichever was imported first.)
ImageFile.LOAD_TRUNCATED_IMAGES = False

__all__ = ["HTML", "StaticOnlyURLFetcher", "font_configuration", "linked_stylesheets"]

# Inline images only: a data: URL of any other type (text/html, scripts) is refused.
DATA_MEDIA_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
# A FontConfiguration loads the system font list when created (tens of ms) and
# keeps @font-face files it has copied, so one is reused per thread; one per
# thread because Fontconfig and Pango objects are not safe to share across threads.
_fonts = threading.local()
# How every PDF template links the static folder's stylesheets (``<link rel="stylesheet" href="css/pdf.css">``).
_LINKED_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(css/[A-Za-z0-9_-]+\.css)">')


def font_configuration():
    """Return this thread's WeasyPrint font configuration, creating it once."""
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def linked_stylesheets(html, root):
    """Return ``html`` without its links to stylesheets of the static folder ``root``, and those
    stylesheets, parsed, in the same order, to pass to ``render(stylesheets=...)``.

    Parsing pdf.css and certificate.css was half the CPU of a one-page certificate (0.135 → 0.067 s); each
    file is parsed once per thread (its @font-face rules go to the thread's font configuration) and again only
    when it changes on disk. WeasyPrint applies them as user stylesheets rather than author ones: the
    same cascade here, since no rule is !important and the templates hold no <style>.
    """
    root = Path(root).resolve()
    cache = getattr(_fonts, "stylesheets", None)
    if cache is None:
        cache = _fonts.stylesheets = {}
    sheets = []

    def take(link):
        path = root / link.group(1)
        if not path.is_file():
            return link.group(0)  # left to WeasyPrint, which logs the missing file
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in cache:
            cache[key] = CSS(url=path.as_uri(), url_fetcher=StaticOnlyURLFetcher(root),
                             font_config=font_configuration())
        sheets.append(cache[key])
        return ""

    return _LINKED_STYLESHEET.sub(take, html), sheets


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

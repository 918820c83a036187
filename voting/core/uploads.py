"""Check uploaded files by their content and store them outside ``static/``.

Photos and dossier documents (hồ sơ) come from producers, so neither the file
name nor the content type the client sends is trusted: the type comes from the
magic bytes, then Pillow decodes every pixel or pypdf parses the PDF. Rejections
carry a ``code`` and ``params`` that the views turn into translated messages.
Pure functions: the caller passes the limits and the storage (``storage("uploads")``) in and
records the row.
"""
import hashlib
import io
import re
import secrets
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin
from pypdf import PdfReader

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENT_TYPES = PHOTO_TYPES | {"application/pdf"}

#: mime type -> (magic bytes at offset 0, extension, Pillow format); WebP is "RIFF....WEBP".
_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff", ".jpg", "JPEG"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png", "PNG"),
    "image/webp": (b"RIFF", ".webp", "WEBP"),
    "application/pdf": (b"%PDF-", ".pdf", None),
}
_THUMB_SUFFIX = ".thumb.webp"
# "ab/ab<30 hex><suffix>": a name that matches cannot climb out of the folder.
_NAME_RE = re.compile(r"(?P<dir>[0-9a-f]{2})/(?P=dir)[0-9a-f]{30}"
                      r"(?P<suffix>\.thumb\.webp|\.jpg|\.png|\.webp|\.pdf)")
_CHUNK = 1024 * 1024


class UploadRejected(Exception):
    """An uploaded file that failed a check."""

    def __init__(self, code, params=None):
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    mime_type: str
    extension: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None


def check_photo(stream, *, max_bytes, max_pixels, min_side=0):
    """Return the checked JPEG, PNG or WebP photo read from ``stream``."""
    data = _read_limited(stream, max_bytes)
    mime_type = _sniff(data)
    if mime_type not in PHOTO_TYPES:
        raise UploadRejected("not_an_image")  # GIF and SVG included: not worth the risk
    return _check_image(data, mime_type, max_pixels, min_side)


def check_document(stream, *, max_bytes, max_pixels, max_pages=200):
    """Return the checked PDF or image document read from ``stream``."""
    data = _read_limited(stream, max_bytes)
    mime_type = _sniff(data)
    if mime_type == "application/pdf":
        return _check_pdf(data, max_pages)
    if mime_type in PHOTO_TYPES:
        return _check_image(data, mime_type, max_pixels, 0)
    raise UploadRejected("unsupported_type")


def _read_limited(stream, max_bytes):
    # One byte past the limit tells us it is too large; never buffer what a client streams.
    _rewind(stream)
    chunks, remaining = [], max_bytes + 1
    while remaining > 0 and (chunk := stream.read(min(_CHUNK, remaining))):
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        mb = max_bytes / (1024 * 1024)
        raise UploadRejected("too_large", {"max_mb": int(mb) if mb.is_integer() else round(mb, 1)})
    if not data:
        raise UploadRejected("empty")
    return data


def _rewind(stream):
    if getattr(stream, "seekable", lambda: False)():
        stream.seek(0)


def _sniff(data):
    for mime_type, (magic, _, _) in _TYPES.items():
        if data.startswith(magic) and (mime_type != "image/webp" or data[8:12] == b"WEBP"):
            return mime_type
    return None


def _check_image(data, mime_type, max_pixels, min_side):
    width, height = _header_size(data, mime_type)
    if width * height > max_pixels:
        raise UploadRejected("too_many_pixels", {"max_pixels": max_pixels, "width": width, "height": height})
    if min(width, height) < min_side:
        raise UploadRejected("too_small", {"min_side": min_side, "width": width, "height": height})
    _decode(data, _TYPES[mime_type][2], (width, height), max_pixels)
    return _checked("image", mime_type, data, width=width, height=height)


def _header_size(data, mime_type):
    """Read the image size from the header, before any pixel is allocated."""
    try:
        if mime_type == "image/webp":
            # Pillow's WebP decoder allocates the whole canvas when it opens.
            size = _webp_size(data)
        else:
            # The plugin classes opened directly parse the header only and skip
            # Pillow's global bomb limit; ours applies right after.
            plugin = {"image/jpeg": JpegImagePlugin.JpegImageFile, "image/png": PngImagePlugin.PngImageFile}
            with plugin[mime_type](io.BytesIO(data)) as img:
                size = img.size
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise UploadRejected("corrupt") from exc
    if not size or min(size) < 1:
        raise UploadRejected("corrupt")
    return size


def _webp_size(data):
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _decode(data, pillow_format, size, max_pixels):
    # A header can lie about what follows: decode every pixel so that a
    # truncated or crafted file is refused now, not when it is displayed.
    # A library (WeasyPrint) may have switched this process-wide flag on; a
    # truncated upload must still be refused.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.format != pillow_format or img.size != size:
                    raise UploadRejected("corrupt")
                img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Only when ours is set above Pillow's global limit, which then wins.
        params = {"max_pixels": min(max_pixels, Image.MAX_IMAGE_PIXELS), "width": size[0], "height": size[1]}
        raise UploadRejected("too_many_pixels", params) from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise UploadRejected("corrupt") from exc


def _check_pdf(data, max_pages):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as exc:  # pypdf raises almost anything on hostile input
        raise UploadRejected("not_a_pdf") from exc
    if encrypted:
        # The jury could not open it, and we could not check it.
        raise UploadRejected("encrypted_pdf")
    if pages < 1:
        raise UploadRejected("not_a_pdf")
    if pages > max_pages:
        raise UploadRejected("too_many_pages", {"max_pages": max_pages, "pages": pages})
    return _checked("pdf", "application/pdf", data, pages=pages)


def _checked(kind, mime_type, data, **dimensions):
    return CheckedFile(
        kind=kind, mime_type=mime_type, extension=_TYPES[mime_type][1],
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), **dimensions,
    )


def store(stream, checked, files):
    """Save the checked ``stream`` under a random name in ``files`` (a storage); return that name."""
    token = secrets.token_hex(16)
    storage_name = f"{token[:2]}/{token}{checked.extension}"
    files.save(storage_name, _read_verified(stream, checked))
    return storage_name


def _read_verified(stream, checked):
    # The stream is read a second time: make sure it still holds what was checked.
    _rewind(stream)
    data = stream.read(checked.size + 1)
    if len(data) != checked.size or hashlib.sha256(data).hexdigest() != checked.sha256:
        raise ValueError("the stream changed since it was checked")
    return data


def make_thumbnail(files, storage_name, *, max_side=480):
    """Save a WebP thumbnail beside a stored photo; return its storage name."""
    if _NAME_RE.fullmatch(check_name(storage_name))["suffix"] in (_THUMB_SUFFIX, ".pdf"):
        raise ValueError(f"not a stored photo: {storage_name}")
    with Image.open(io.BytesIO(files.read(storage_name))) as original:
        original.draft("RGB", (max_side, max_side))  # JPEG: let the decoder downscale, far cheaper
        img = ImageOps.exif_transpose(original)
    img = img.convert("RGBA" if img.has_transparency_data else "RGB")
    img.thumbnail((max_side, max_side))
    thumb_name = _thumbnail_name(storage_name)
    out = io.BytesIO()
    # WebP saves only the metadata passed to save(): EXIF (GPS!) and ICC stay behind.
    img.save(out, "WEBP", quality=80)
    files.save(thumb_name, out.getvalue())
    return thumb_name


def _thumbnail_name(storage_name):
    return storage_name.rsplit(".", 1)[0] + _THUMB_SUFFIX


def check_name(storage_name):
    """Return ``storage_name`` if :func:`store` could have made it; FileNotFoundError otherwise."""
    if not isinstance(storage_name, str) or not _NAME_RE.fullmatch(storage_name):
        raise FileNotFoundError(f"not a storage name: {storage_name!r}")
    return storage_name


def read_stored(files, storage_name):
    """The bytes of a stored file; FileNotFoundError for a name :func:`store` never makes."""
    return files.read(check_name(storage_name))


def send_stored(files, storage_name, **options):
    """A response sending a stored file (``options`` as for ``send``); FileNotFoundError as above."""
    return files.send(check_name(storage_name), **options)


def delete_stored(files, storage_name):
    """Delete a stored file and its thumbnail; files already gone are fine."""
    files.delete(check_name(storage_name))
    if not storage_name.endswith(_THUMB_SUFFIX):
        files.delete(_thumbnail_name(storage_name))

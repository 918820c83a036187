"""Upload checks and storage, on real files made with Pillow and pypdf."""
import hashlib
import io
import os
import stat
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from werkzeug.datastructures import FileStorage

from voting.core.storage import LocalStorage
from voting.core.uploads import (
    CheckedFile, UploadRejected, check_document, check_photo, delete_stored, make_thumbnail,
    read_stored, store,
)

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_pixels": 40_000_000}
PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}


def image_bytes(fmt="jpeg", size=(64, 48), mode="RGB", noise=False, **save_args):
    """Encode a real image; ``noise`` makes pixel data that does not compress away."""
    img = Image.effect_noise(size, 64).convert(mode) if noise else Image.new(mode, size, "teal")
    out = io.BytesIO()
    img.save(out, PILLOW_FORMAT[fmt], **save_args)
    return out.getvalue()


def pdf_bytes(pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(user_password=password, owner_password=password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rejection(check, data, **limits):
    with pytest.raises(UploadRejected) as info:
        check(io.BytesIO(data), **{**LIMITS, **limits})
    return info.value


class LazyStream(io.RawIOBase):
    """200 MB of zeros, produced only as far as they are read."""

    def __init__(self, total=200 * MB):
        self.remaining = total
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.remaining)
        buffer[:n] = bytes(n)
        self.remaining -= n
        self.bytes_read += n
        return n


def patch_png_size(data, width, height):
    """Rewrite the IHDR size of a real PNG, with a valid CRC."""
    assert data[12:16] == b"IHDR"
    ihdr = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + data[33:]


def patch_jpeg_size(data, width, height):
    sof = data.index(b"\xff\xc0")
    return data[:sof + 5] + struct.pack(">HH", height, width) + data[sof + 9:]


def patch_webp_size(data, width, height):
    assert data[12:16] == b"VP8L"
    bits = int.from_bytes(data[21:25], "little")
    bits = (bits & ~0xFFFFFFF) | (width - 1) | ((height - 1) << 14)
    return data[:21] + bits.to_bytes(4, "little") + data[25:]


@pytest.mark.parametrize("fmt, mime_type, extension", [
    ("jpeg", "image/jpeg", ".jpg"),
    ("png", "image/png", ".png"),
    ("webp", "image/webp", ".webp"),
])
def test_photo_accepted_with_dimensions(fmt, mime_type, extension):
    data = image_bytes(fmt, size=(64, 48))

    checked = check_photo(io.BytesIO(data), **LIMITS)

    assert checked == CheckedFile(
        kind="image", mime_type=mime_type, extension=extension, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), width=64, height=48, pages=None,
    )


def test_document_accepts_an_image():
    checked = check_document(io.BytesIO(image_bytes("png")), **LIMITS)

    assert (checked.kind, checked.mime_type) == ("image", "image/png")


def test_photo_accepted_from_werkzeug_file_storage():
    upload = FileStorage(io.BytesIO(image_bytes("png")), filename="anh.jpg", content_type="application/pdf")

    assert check_photo(upload.stream, **LIMITS).mime_type == "image/png"


EXECUTABLES = [
    b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x90" * 200,
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(50) + b"PE\x00\x00" + b"\x90" * 200,
]
NOT_IMAGES = EXECUTABLES + [
    b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    image_bytes("gif", mode="P"),
]


@pytest.mark.parametrize("data", NOT_IMAGES, ids=["elf", "pe", "html", "svg", "gif"])
def test_photo_rejects_other_content(data):
    assert rejection(check_photo, data).code == "not_an_image"


@pytest.mark.parametrize("data", NOT_IMAGES, ids=["elf", "pe", "html", "svg", "gif"])
def test_document_rejects_other_content(data):
    assert rejection(check_document, data).code == "unsupported_type"


def test_photo_rejects_a_pdf():
    assert rejection(check_photo, pdf_bytes()).code == "not_an_image"


def test_document_rejects_text_named_pdf():
    upload = FileStorage(io.BytesIO(b"just some text\n"), filename="ho-so.pdf", content_type="application/pdf")

    with pytest.raises(UploadRejected) as info:
        check_document(upload.stream, **LIMITS)

    assert info.value.code == "unsupported_type"


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\nthis is not a PDF at all\n",
    b"%PDF-1.4\n%%EOF\n",
    pdf_bytes(1)[:200],
], ids=["garbage", "no-objects", "truncated"])
def test_document_rejects_broken_pdf(data):
    assert rejection(check_document, data).code == "not_a_pdf"


def test_document_rejects_pdf_without_pages():
    assert rejection(check_document, pdf_bytes(pages=0)).code == "not_a_pdf"


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_truncated_image_rejected_as_corrupt(fmt):
    data = image_bytes(fmt, size=(256, 256), noise=True)

    assert rejection(check_photo, data[: len(data) // 2]).code == "corrupt"


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    b"\xff\xd8\xff" + b"garbage" * 20,
    b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 40,
], ids=["png", "jpeg", "webp"])
def test_magic_bytes_without_an_image_rejected_as_corrupt(data):
    assert rejection(check_photo, data).code == "corrupt"


@pytest.mark.parametrize("fmt, patch, size", [
    ("png", patch_png_size, (20_000, 20_000)),
    ("jpeg", patch_jpeg_size, (20_000, 20_000)),
    # Under Pillow's own hard limit, so only our header check stands between
    # this file and a 400 MB canvas.
    ("webp", patch_webp_size, (10_000, 10_000)),
])
def test_huge_header_rejected_without_decoding(fmt, patch, size):
    data = patch(image_bytes(fmt, size=(8, 8), lossless=True) if fmt == "webp" else image_bytes(fmt, size=(8, 8)),
                 *size)
    error = rejection(check_photo, data)

    assert error.code == "too_many_pixels"
    assert error.params == {"max_pixels": 40_000_000, "width": size[0], "height": size[1]}


def test_photo_below_min_side_rejected():
    error = rejection(check_photo, image_bytes("jpeg", size=(300, 200)), min_side=250)

    assert error.code == "too_small"
    assert error.params == {"min_side": 250, "width": 300, "height": 200}


def test_oversize_rejected_without_reading_the_whole_stream():
    stream = LazyStream()

    with pytest.raises(UploadRejected) as info:
        check_document(stream, max_bytes=2 * MB, max_pixels=LIMITS["max_pixels"])

    assert info.value.code == "too_large"
    assert info.value.params == {"max_mb": 2}
    assert stream.bytes_read <= 2 * MB + 1


def test_file_of_exactly_max_bytes_accepted():
    data = image_bytes("png")

    assert check_photo(io.BytesIO(data), max_bytes=len(data), max_pixels=LIMITS["max_pixels"]).size == len(data)
    assert rejection(check_photo, data, max_bytes=len(data) - 1).code == "too_large"


@pytest.mark.parametrize("check", [check_photo, check_document])
def test_empty_file_rejected(check):
    assert rejection(check, b"").code == "empty"


def test_pdf_accepted_with_page_count():
    data = pdf_bytes(pages=3)

    checked = check_document(io.BytesIO(data), **LIMITS)

    assert checked == CheckedFile(
        kind="pdf", mime_type="application/pdf", extension=".pdf", size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), width=None, height=None, pages=3,
    )


def test_pdf_with_too_many_pages_rejected():
    error = rejection(check_document, pdf_bytes(pages=3), max_pages=2)

    assert error.code == "too_many_pages"
    assert error.params == {"max_pages": 2, "pages": 3}


def test_encrypted_pdf_rejected():
    assert rejection(check_document, pdf_bytes(password="bí mật")).code == "encrypted_pdf"


@pytest.fixture
def files(tmp_path):
    return LocalStorage(tmp_path)


def test_store_writes_identical_bytes_under_a_random_name(tmp_path, files):
    data = image_bytes("jpeg")
    upload = FileStorage(io.BytesIO(data), filename="anh-san-pham.jpg")
    checked = check_photo(upload.stream, **LIMITS)

    name = store(upload.stream, checked, files)

    path = tmp_path / name
    assert path.read_bytes() == data
    assert "anh-san-pham" not in name
    assert name.startswith(name.split("/")[1][:2] + "/") and name.endswith(".jpg")
    assert len(name.split("/")[1]) == 32 + len(".jpg")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(path.parent) == [path.name]  # no temporary file left behind


def test_store_never_reuses_a_name(tmp_path, files):
    data = image_bytes("png")
    checked = check_photo(io.BytesIO(data), **LIMITS)

    names = {store(io.BytesIO(data), checked, files) for _ in range(5)}

    assert len(names) == 5


def test_store_refuses_a_stream_that_changed_since_the_check(tmp_path, files):
    checked = check_photo(io.BytesIO(image_bytes("png")), **LIMITS)

    with pytest.raises(ValueError):
        store(io.BytesIO(image_bytes("png", size=(65, 48))), checked, files)

    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_read_stored_returns_the_stored_file(tmp_path, files):
    data = pdf_bytes()
    name = store(io.BytesIO(data), check_document(io.BytesIO(data), **LIMITS), files)

    assert read_stored(files, name) == data


@pytest.mark.parametrize("name", [
    "../etc/passwd", "/etc/passwd", "x/../../y", "ab/../../etc/passwd",
    "ab/ab" + "0" * 30 + ".jpg/../../x", "ab\\ab" + "0" * 30 + ".jpg", "ab/cd" + "0" * 30 + ".jpg",
    "ab/ab" + "0" * 30 + ".html", "", None,
    "ab/ab" + "0" * 30 + ".jpg",  # well-formed but never stored
])
def test_read_stored_refuses_other_names(tmp_path, files, name):
    with pytest.raises(FileNotFoundError):
        read_stored(files, name)


def _jpeg_with_orientation(size, orientation):
    img = Image.new("RGB", size, "blue")
    img.paste("red", (0, 0, size[0] // 2, size[1]))  # red on the left as stored
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {2: (10.0, 46.0, 0.0)}  # a GPS position that must not leak
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_thumbnail_is_rotated_webp_without_metadata(tmp_path, files):
    data = _jpeg_with_orientation((800, 400), orientation=6)  # displayed rotated 90° clockwise
    name = store(io.BytesIO(data), check_photo(io.BytesIO(data), **LIMITS), files)

    thumb_name = make_thumbnail(files, name, max_side=480)

    with Image.open(io.BytesIO(read_stored(files, thumb_name))) as thumb:
        assert thumb.format == "WEBP"
        assert thumb.size == (240, 480)
        assert "exif" not in thumb.info and not thumb.getexif()
        red, _, blue = thumb.convert("RGB").getpixel((120, 10))
        assert red > 200 and blue < 60  # the stored left edge is now on top


def test_thumbnail_keeps_transparency_and_never_enlarges(tmp_path, files):
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 128, 128, 0)).save(out, "PNG")
    data = out.getvalue()
    name = store(io.BytesIO(data), check_photo(io.BytesIO(data), **LIMITS), files)

    with Image.open(io.BytesIO(read_stored(files, make_thumbnail(files, name)))) as thumb:
        assert (thumb.mode, thumb.size) == ("RGBA", (100, 50))


def test_pdf_has_no_thumbnail(tmp_path, files):
    data = pdf_bytes()
    name = store(io.BytesIO(data), check_document(io.BytesIO(data), **LIMITS), files)

    with pytest.raises(ValueError):
        make_thumbnail(files, name)


def test_delete_stored_removes_file_and_thumbnail(tmp_path, files):
    data = image_bytes("jpeg")
    name = store(io.BytesIO(data), check_photo(io.BytesIO(data), **LIMITS), files)
    thumb_name = make_thumbnail(files, name)

    delete_stored(files, name)
    delete_stored(files, name)  # already gone: nothing to do

    assert not (tmp_path / name).exists()
    assert not (tmp_path / thumb_name).exists()


def test_delete_stored_refuses_other_names(tmp_path, files):
    with pytest.raises(FileNotFoundError):
        delete_stored(files, "../etc/passwd")


def test_truncated_image_refused_even_after_weasyprint_is_imported():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the process; uploads must not care."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = image_bytes("jpeg", size=(400, 300), noise=True)
    assert rejection(check_photo, data[: len(data) // 2]).code == "corrupt"

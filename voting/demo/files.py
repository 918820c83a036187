"""Storing the demo's drawn files through the real upload path: :class:`FileStore`.

Photos (:mod:`voting.demo.photos`) and papers (:mod:`voting.demo.papers`) are
drawn with Pillow, so seeding needs neither network nor WeasyPrint. Every
file says on its face that it is an illustration (ảnh / tài liệu minh họa),
so that no one mistakes a demo document for a real one. Files are checked,
stored and recorded as an upload would be (:mod:`voting.core.uploads`
checks, storage, thumbnails, then
:func:`voting.operations.products.add_product_file`).

The drawing functions are re-exported here: what the demo draws and stores
is reached from this one module.
"""
import io
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from voting.core.storage import storage
from voting.core.text import fold
from voting.core.uploads import check_document, check_photo, delete_stored, make_thumbnail, store
from voting.demo.papers import DocumentSpec, document_image, document_jpeg, document_pdf
from voting.demo.photos import product_photo
from voting.models import FileKind
from voting.operations.products import add_product_file
from voting.views.files import upload_limits

__all__ = ["DocumentSpec", "FileStore", "PendingFile", "document_image", "document_jpeg", "document_pdf",
           "product_photo", "slug"]


def slug(text):
    """Return a file name stem for ``text``: folded, words joined by hyphens."""
    return "-".join(fold(text).replace("/", " ").split()) or "tep"


@dataclass
class PendingFile:
    """A file being drawn, checked and stored in the background, to be recorded later."""

    future: Future
    original_name: str
    kind: str
    document_type: str | None


class FileStore:
    """Check, store and record demo files as an upload would.

    Drawing, checking, storing and thumbnailing touch neither the database nor
    the request context, so worker threads do them while the seed goes on
    (password hashing, Pillow's codecs and ``fsync`` release the GIL): one
    thread draws and checks (FreeType faces are not shared between threads),
    two store and make thumbnails. The rows are recorded in the calling thread,
    in order, through ``add_product_file``. Used as a context manager: on
    failure, or for a file never recorded, the stored bytes are deleted again.
    """

    def __init__(self):
        self.files = storage("uploads")  # thread-safe, unlike current_app in the workers
        self.limits = upload_limits()
        self.stored = set()
        self.recorded = set()
        self.photos = 0
        self.documents = 0
        self._lock = threading.Lock()
        self._draw = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-draw")
        self._store = ThreadPoolExecutor(max_workers=2, thread_name_prefix="demo-store")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        self._draw.shutdown(wait=True, cancel_futures=True)
        self._store.shutdown(wait=True)
        with self._lock:
            unwanted = self.stored if exc_type else self.stored - self.recorded
            for storage_name in unwanted:
                delete_stored(self.files, storage_name)
            self.stored -= unwanted
        return False

    def prepare(self, render, original_name, kind="photo", document_type=None):
        """Start drawing (``render()`` returns the bytes), checking and storing a file."""
        return PendingFile(self._draw.submit(self._check, render, kind), original_name, kind, document_type)

    # Worker threads from here: no application context, no database session.

    def _check(self, render, kind):
        data = render()
        stream = io.BytesIO(data)
        if kind == "photo":
            checked = check_photo(stream, max_bytes=self.limits["photo"], max_pixels=self.limits["pixels"])
        else:
            checked = check_document(stream, max_bytes=self.limits["document"], max_pixels=self.limits["pixels"])
        return self._store.submit(self._keep, data, checked)

    def _keep(self, data, checked):
        storage_name = store(io.BytesIO(data), checked, self.files)
        with self._lock:
            self.stored.add(storage_name)
        thumbnail = make_thumbnail(self.files, storage_name) if checked.kind == "image" else None
        return checked, storage_name, thumbnail

    def record(self, actor, product, pending):
        """Record a prepared file on the product's dossier, as an upload would."""
        checked, storage_name, thumbnail = pending.future.result().result()
        record = add_product_file(actor, product, checked, storage_name, thumbnail, pending.original_name,
                                  pending.kind, pending.document_type)
        self.recorded.add(storage_name)
        if pending.kind == FileKind.PHOTO:
            self.photos += 1
        else:
            self.documents += 1
        return record

    def forget(self, record):
        """Delete the stored bytes of a file whose row was just removed."""
        delete_stored(self.files, record.storage_name)
        with self._lock:
            self.stored.discard(record.storage_name)
        self.recorded.discard(record.storage_name)
        if record.kind == FileKind.PHOTO:
            self.photos -= 1
        else:
            self.documents -= 1


"""Where files live: one small interface over a local folder or an S3-compatible bucket.

Three areas hold files: ``uploads`` (producers' photos and documents, their thumbnails, authority
artwork, paper sheet scans), ``certificates`` (issued PDFs and their PNG previews) and ``exports``
(files made by background export jobs). ``storage(area)`` returns the area's :class:`LocalStorage`
or :class:`S3Storage`, chosen by ``FILE_STORAGE`` and built once per app. Callers name files by
*keys*, relative names such as ``"ab/ab0123….jpg"``; no key can reach outside its area.

Both kinds keep the same promises: ``save`` is atomic (a reader sees the whole file or none, never
a half-written one) and overwrites; reading an absent key raises :class:`FileNotFoundError`;
``keys`` lists in sorted order.
"""
import io
import os
import posixpath
import shutil
import tempfile
import threading
from pathlib import Path

from flask import current_app, request, send_file

from config import ConfigError

AREAS = ("uploads", "certificates", "exports")
_EXTENSION = "cnnt_storage"
_TEMP_PREFIX = ".tmp-"
_FILE_MODE = 0o640
_DIR_MODE = 0o750
_CHUNK = 1024 * 1024


class UnsafeKey(ValueError, FileNotFoundError):
    """A key that could name something outside its area. Also a FileNotFoundError, so that a view
    handing a client's name straight to storage answers 404 rather than 500."""


def check_key(key):
    """Return ``key`` if it is a plain relative name; raise :class:`UnsafeKey` otherwise."""
    if not isinstance(key, str) or not key or "\\" in key or "\0" in key or key.startswith("/"):
        raise UnsafeKey(f"not a storage key: {key!r}")
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts) or posixpath.isabs(key):
        raise UnsafeKey(f"not a storage key: {key!r}")
    return key


def _send(file, *, mimetype, download_name, as_attachment, size=None, etag=None, last_modified=None):
    response = send_file(file, mimetype=mimetype, download_name=download_name, as_attachment=as_attachment,
                         conditional=False, etag=etag if etag is not None else False, last_modified=last_modified)
    if size is not None:
        response.content_length = size
    # Answers 304 to a client that already holds this version (the body is then never read).
    return response.make_conditional(request.environ)


class LocalStorage:
    """Files in a folder on this machine (shared by NFS when several app servers use it)."""

    def __init__(self, root):
        self.root = Path(root)

    def __repr__(self):
        return f"LocalStorage({str(self.root)!r})"

    def path(self, key):
        """The file's path (it may not exist); only for code that needs a real file."""
        return self.root.joinpath(*check_key(key).split("/"))

    def save(self, key, data):
        self.save_many([(key, data)])

    def save_many(self, items):
        """Save each ``(key, data)`` as :meth:`save` does, syncing each folder once for all of them (a batch
        of issued certificates: one sync per file and one per folder, not two per file)."""
        folders = {}
        for key, data in items:
            target = self.path(key)
            target.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
            self._write(target, data)
            folders[target.parent] = True
        # A rename is durable only once the directory entry is on disk.
        for folder in folders:
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    @staticmethod
    def _write(target, data):
        """Write a temporary file beside ``target``, sync it, and rename it over ``target`` (atomic)."""
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=_TEMP_PREFIX)
        try:
            os.fchmod(fd, _FILE_MODE)  # mkstemp creates 0o600 whatever the umask
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, (bytes, bytearray, memoryview)):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out, _CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key):
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(f"no stored file {key!r}")
        return open(path, "rb")

    def read(self, key):
        with self.open(key) as handle:
            return handle.read()

    def exists(self, key):
        return self.path(key).is_file()

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def keys(self, prefix=""):
        if not self.root.is_dir():
            return iter(())
        found = []
        for folder, _, files in os.walk(self.root):
            relative = Path(folder).relative_to(self.root).as_posix()
            for name in files:
                # Half-written files: ours, and the ".part" files older versions left behind.
                if name.startswith(_TEMP_PREFIX) or name.endswith(".part"):
                    continue
                key = name if relative == "." else f"{relative}/{name}"
                if key.startswith(prefix):
                    found.append(key)
        return iter(sorted(found))

    def send(self, key, *, mimetype, download_name=None, as_attachment=False):
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(f"no stored file {key!r}")
        return send_file(path, mimetype=mimetype, download_name=download_name, as_attachment=as_attachment,
                         conditional=True)


class S3Storage:
    """Objects in an S3-compatible bucket, under ``{prefix}{area}/``.

    The boto3 client is made on first use (after gunicorn has forked) and shared by threads, which
    boto3 allows. Credentials come from boto3's usual chain (AWS_* variables, a profile, an
    instance role), never from this app's configuration.
    """

    def __init__(self, bucket, area, *, prefix="", endpoint_url=None, region=None):
        self.bucket = bucket
        self.base = f"{prefix}{area}/"
        self.endpoint_url = endpoint_url or None
        self.region = region or None
        self._client = None
        self._lock = threading.Lock()

    def __repr__(self):
        return f"S3Storage({self.bucket!r}, {self.base!r})"

    @property
    def client(self):
        with self._lock:
            if self._client is None:
                import boto3  # only S3 deployments pay for importing it

                self._client = boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region)
            return self._client

    def _name(self, key):
        return self.base + check_key(key)

    def _get(self, key):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(f"no stored file {key!r}") from None
            raise

    def save(self, key, data):
        # An object appears whole when its upload completes (a multipart upload that fails is
        # aborted): readers never see part of it.
        name = self._name(key)
        if isinstance(data, (bytes, bytearray, memoryview)):
            self.client.put_object(Bucket=self.bucket, Key=name, Body=bytes(data))
        else:
            self.client.upload_fileobj(data, self.bucket, name)

    def save_many(self, items):
        for key, data in items:
            self.save(key, data)

    def open(self, key):
        return self._get(key)["Body"]

    def read(self, key):
        with self.open(key) as body:
            return body.read()

    def exists(self, key):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def delete(self, key):
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))  # absent: S3 says nothing

    def keys(self, prefix=""):
        found = []
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.base + prefix)
        for page in pages:
            found += [item["Key"][len(self.base):] for item in page.get("Contents", ())]
        return iter(sorted(found))

    def send(self, key, *, mimetype, download_name=None, as_attachment=False):
        """Stream the object through the app: the bucket stays private, and the caller's headers
        (privacy, caching) apply as for a local file."""
        got = self._get(key)
        body = got["Body"]
        etag = got.get("ETag", "").strip('"') or None
        return _send(_Closing(body), mimetype=mimetype, download_name=download_name, as_attachment=as_attachment,
                     size=got.get("ContentLength"), etag=etag, last_modified=got.get("LastModified"))


class _Closing(io.RawIOBase):
    """botocore's streaming body as a plain readable file, closed with the response."""

    def __init__(self, body):
        self._body = body

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            self._body.close()
        super().close()


# Per app ------------------------------------------------------------------------------------------

def _local_root(app, area):
    setting = {"uploads": "UPLOAD_DIR", "certificates": "CERTIFICATE_DIR", "exports": "EXPORT_DIR"}[area]
    return app.config.get(setting) or str(Path(app.instance_path) / area)


def build_storages(app):
    """The three areas' storages for ``app``'s configuration; :class:`ConfigError` if it cannot work."""
    kind = (app.config.get("FILE_STORAGE") or "local").strip().lower()
    if kind == "local":
        return {area: LocalStorage(_local_root(app, area)) for area in AREAS}
    if kind == "s3":
        bucket = (app.config.get("S3_BUCKET") or "").strip()
        if not bucket:
            raise ConfigError("FILE_STORAGE=s3 needs S3_BUCKET, the bucket's name (README, 'File storage').")
        return {area: S3Storage(bucket, area, prefix=app.config.get("S3_PREFIX") or "",
                                endpoint_url=app.config.get("S3_ENDPOINT_URL"), region=app.config.get("S3_REGION"))
                for area in AREAS}
    raise ConfigError(f"FILE_STORAGE must be 'local' or 's3', got {kind!r}.")


def init_storage(app):
    """Check the storage settings at startup and keep the area storages on the app."""
    app.extensions[_EXTENSION] = build_storages(app)


def storage(area):
    """The storage of ``area`` ("uploads", "certificates" or "exports") for the current app."""
    if area not in AREAS:
        raise ValueError(f"no storage area {area!r}")
    app = current_app._get_current_object()
    storages = app.extensions.get(_EXTENSION)
    if storages is None:  # an app built without create_app
        storages = app.extensions[_EXTENSION] = build_storages(app)
    return storages[area]

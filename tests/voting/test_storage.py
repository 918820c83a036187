"""One contract for every kind of file storage (voting/core/storage.py): a local folder and an S3 bucket
(moto's server) keep the same promises."""
import io
import threading

import pytest
from flask import Flask

from config import ConfigError
from tests.fixtures_storage import s3_bucket, s3_endpoint  # noqa: F401  (fixtures)
from voting.core.storage import LocalStorage, S3Storage, build_storages, check_key

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture(params=["local", "s3"])
def files(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "area")
    endpoint, bucket = request.getfixturevalue("s3_bucket")
    return S3Storage(bucket, "uploads", prefix="cnnt/", endpoint_url=endpoint, region="us-east-1")


def test_save_then_read_exists_open(files):
    files.save("ab/ab0123.jpg", b"first")
    assert files.read("ab/ab0123.jpg") == b"first"
    assert files.exists("ab/ab0123.jpg")
    assert not files.exists("ab/other.jpg")
    with files.open("ab/ab0123.jpg") as handle:
        assert handle.read() == b"first"


def test_save_overwrites_and_takes_a_file_object(files):
    files.save("00000012-abcdef012345.pdf", b"old")
    files.save("00000012-abcdef012345.pdf", io.BytesIO(PDF))
    assert files.read("00000012-abcdef012345.pdf") == PDF


def test_absent_keys_raise_file_not_found(files):
    with pytest.raises(FileNotFoundError):
        files.read("nothing/here.pdf")
    with pytest.raises(FileNotFoundError):
        files.open("nothing/here.pdf")
    with pytest.raises(FileNotFoundError):
        files.send("nothing/here.pdf", mimetype="application/pdf")


def test_delete_and_delete_again(files):
    files.save("round-3/export.zip", b"zip")
    files.delete("round-3/export.zip")
    files.delete("round-3/export.zip")  # already gone: fine
    assert not files.exists("round-3/export.zip")
    with pytest.raises(FileNotFoundError):
        files.read("round-3/export.zip")


def test_keys_sorted_and_by_prefix(files):
    assert list(files.keys()) == []
    for key in ("round-3/b.zip", "ab/ab01.jpg", "round-3/a.pdf", "round-30/c.zip", "top.pdf"):
        files.save(key, b"x")
    assert list(files.keys()) == ["ab/ab01.jpg", "round-3/a.pdf", "round-3/b.zip", "round-30/c.zip", "top.pdf"]
    assert list(files.keys("round-3/")) == ["round-3/a.pdf", "round-3/b.zip"]


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "a/../../b", "a/./b", "a//b", "a\\b", "a\0b", "",
                                 "a/", ".."])
def test_keys_that_could_climb_out_are_refused(files, key, tmp_path):
    for attempt in (lambda: files.save(key, b"x"), lambda: files.read(key), lambda: files.exists(key),
                    lambda: files.delete(key)):
        with pytest.raises(ValueError):
            attempt()
    with pytest.raises(FileNotFoundError):  # also a FileNotFoundError: a view answers 404
        files.read(key)
    assert not (tmp_path / "escape").exists()


def test_send_streams_with_headers_and_answers_304(app, files):
    files.save("00000012-abcdef012345.pdf", PDF)
    with app.test_request_context("/"):
        response = files.send("00000012-abcdef012345.pdf", mimetype="application/pdf",
                              download_name="giấy chứng nhận.pdf", as_attachment=True)
        response.direct_passthrough = False
        assert response.status_code == 200 and response.get_data() == PDF
        assert response.mimetype == "application/pdf" and response.content_length == len(PDF)
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''gi%E1%BA%A5y" in disposition
        etag = response.headers["ETag"]
        response.close()
    with app.test_request_context("/", headers={"If-None-Match": etag}):
        again = files.send("00000012-abcdef012345.pdf", mimetype="application/pdf")
        assert again.status_code == 304
        again.close()


def test_a_reader_never_sees_half_a_file(files):
    """Readers racing a writer get the old bytes or the new ones, whole."""
    old, new = b"A" * 300_000, b"B" * 600_000
    files.save("ab/racing.webp", old)
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(files.read("ab/racing.webp"))

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(5):
        files.save("ab/racing.webp", new)
        files.save("ab/racing.webp", old)
    stop.set()
    reader.join()
    assert seen <= {old, new}


def test_local_storage_leaves_no_temporary_file(tmp_path):
    files = LocalStorage(tmp_path)
    files.save("ab/one.jpg", b"x")
    with pytest.raises(RuntimeError):
        files.save("ab/two.jpg", _Failing())
    assert sorted(p.name for p in (tmp_path / "ab").iterdir()) == ["one.jpg"]
    assert list(files.keys()) == ["ab/one.jpg"]


class _Failing(io.RawIOBase):
    def readable(self):
        return True

    def readinto(self, buffer):
        raise RuntimeError("the upload broke off")


def test_s3_objects_live_under_prefix_and_area(s3_bucket):  # noqa: F811
    import boto3

    endpoint, bucket = s3_bucket
    S3Storage(bucket, "certificates", prefix="cnnt/", endpoint_url=endpoint).save("00000001-aa.pdf", b"%PDF")
    listed = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == ["cnnt/certificates/00000001-aa.pdf"]


def test_check_key_accepts_plain_relative_names():
    assert check_key("ab/ab0123.jpg") == "ab/ab0123.jpg"
    assert check_key("round-3/job-7-ab.zip") == "round-3/job-7-ab.zip"


def _app(**config):
    app = Flask(__name__)
    app.config.update(config)
    return app


def test_configuration_picks_the_kind_and_refuses_what_cannot_work(tmp_path):
    local = build_storages(_app(UPLOAD_DIR=str(tmp_path / "u"), CERTIFICATE_DIR=str(tmp_path / "c"),
                                EXPORT_DIR=str(tmp_path / "e")))
    assert {area: files.root for area, files in local.items()} == {
        "uploads": tmp_path / "u", "certificates": tmp_path / "c", "exports": tmp_path / "e"}
    remote = build_storages(_app(FILE_STORAGE="s3", S3_BUCKET="cnnt", S3_PREFIX="prod/"))
    assert remote["exports"].base == "prod/exports/" and remote["exports"].bucket == "cnnt"
    with pytest.raises(ConfigError, match="S3_BUCKET"):
        build_storages(_app(FILE_STORAGE="s3"))
    with pytest.raises(ConfigError, match="FILE_STORAGE"):
        build_storages(_app(FILE_STORAGE="ftp"))


def test_production_starts_with_local_storage_by_default(monkeypatch):
    from config import ProductionConfig

    for name in ("FILE_STORAGE", "S3_BUCKET", "EXPORT_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = ProductionConfig()
    assert settings.FILE_STORAGE == "local" and settings.EXPORT_DIR.endswith("exports")

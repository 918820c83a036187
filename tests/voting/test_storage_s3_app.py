"""The whole app with FILE_STORAGE=s3 (moto's S3 server): uploads, thumbnails, authority artwork,
certificate PDFs and their pictures, and a backup restored into a new instance all live in the
bucket, and nothing is written to the local folders."""
import io
import tarfile

import boto3
import pytest
from sqlalchemy import select

from tests.e2e.server import PostgresDatabase
from tests.conftest import PASSWORD, csrf_from, login
from tests.factories import jpeg_bytes
from tests.fixtures_storage import s3_bucket, s3_endpoint  # noqa: F401  (fixtures)
from tests.support.certificates import certify, issue_certificates
from tests.support.dossiers import create_product, fill_profile, register, token, upload
from voting import create_app
from voting.extensions import db
from voting.models import ProductFile, Round
from certificates.models import Certificate
from voting.operations.audit import publish_checkpoint
from voting.core.storage import build_storages, storage

PREFIX = "cnnt/"


def _s3_settings(endpoint, bucket, tmp_path, prefix=PREFIX):
    return {"FILE_STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1",
            "S3_PREFIX": prefix, "UPLOAD_DIR": str(tmp_path / "uploads"),
            "CERTIFICATE_DIR": str(tmp_path / "certificates"), "EXPORT_DIR": str(tmp_path / "exports")}


@pytest.fixture
def s3_app(app, s3_bucket, tmp_path, monkeypatch):  # noqa: F811
    """The session's app switched to S3 by configuration (its storages built again from it)."""
    endpoint, bucket = s3_bucket
    for name, value in _s3_settings(endpoint, bucket, tmp_path).items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.extensions, "cnnt_storage", build_storages(app))
    return app


def _objects(s3_bucket):  # noqa: F811
    endpoint, bucket = s3_bucket
    pages = boto3.client("s3", endpoint_url=endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", ())}


def _local_files(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_an_uploaded_photo_and_its_thumbnail_are_in_the_bucket(s3_app, client, s3_bucket, tmp_path):  # noqa: F811
    register(client, "htx.s3@example.vn")
    fill_profile(client, s3_app)
    product_id = create_product(client)
    assert "Đã tải lên" in upload(client, product_id, jpeg_bytes("teal"), "teal.jpg").get_data(as_text=True)
    with s3_app.app_context():
        record = db.session.scalars(select(ProductFile).where(ProductFile.product_id == product_id)).one()
        name, thumbnail, record_id = record.storage_name, record.thumbnail_name, record.id
    assert _objects(s3_bucket) >= {f"{PREFIX}uploads/{name}", f"{PREFIX}uploads/{thumbnail}"}
    assert _local_files(tmp_path) == []
    photo = client.get(f"/producer/files/{record_id}")
    assert photo.status_code == 200 and photo.data == jpeg_bytes("teal") and photo.mimetype == "image/jpeg"
    assert photo.headers["Cache-Control"] == "private, no-store"
    small = client.get(f"/producer/files/{record_id}?thumb=1")
    assert small.status_code == 200 and small.data.startswith(b"RIFF") and small.mimetype == "image/webp"
    # Deleting the file removes both objects from the bucket.
    product_page = f"/producer/products/{product_id}"
    client.post(f"/producer/files/{record_id}/delete", data={"csrf_token": token(client, product_page)})
    assert not {f"{PREFIX}uploads/{name}", f"{PREFIX}uploads/{thumbnail}"} & _objects(s3_bucket)


def test_certificates_are_issued_into_and_served_from_the_bucket(s3_app, make_user, signer, s3_bucket,  # noqa: F811
                                                                 tmp_path):
    client = s3_app.test_client()
    hall = certify(s3_app, make_user)
    admin = make_user("admin")
    login(client, admin.email, PASSWORD)
    with s3_app.app_context():
        authority_id = db.session.get(Round, hall.round_id).authority_id
    page_url = f"/admin/authorities/{authority_id}"
    artwork = client.post(f"{page_url}/artwork", data={"csrf_token": csrf_from(client.get(page_url)),
                                                       "file": (io.BytesIO(jpeg_bytes(size=(400, 400))), "quoc-huy.jpg")},
                          content_type="multipart/form-data")
    assert artwork.status_code == 302
    issued = issue_certificates(s3_app, hall)
    assert issued
    with s3_app.app_context():
        certificate = db.session.get(Certificate, issued[0][0])
        token_, pdf_name = certificate.token, certificate.pdf_storage_name
        pdf = storage("certificates").read(pdf_name)
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf  # the artwork, read from the bucket
    objects = _objects(s3_bucket)
    assert {f"{PREFIX}certificates/{name}" for name in _pdf_names(s3_app)} <= objects
    anonymous = s3_app.test_client()
    assert f'href="/v/{token_}/certificate.pdf"' in anonymous.get(f"/v/{token_}").get_data(as_text=True)
    document = anonymous.get(f"/v/{token_}/certificate.pdf")
    assert document.status_code == 200 and document.data == pdf
    picture = anonymous.get(f"/v/{token_}/certificate.png")
    assert picture.status_code == 200 and picture.data.startswith(b"\x89PNG")
    assert picture.headers["Cache-Control"] == "public, max-age=300"  # a withdrawal shows within minutes
    assert f"{PREFIX}certificates/{pdf_name.removesuffix('.pdf')}.png" in _objects(s3_bucket)
    assert anonymous.get(f"/v/{token_}/certificate.png",
                         headers={"If-None-Match": picture.headers["ETag"]}).status_code == 304
    organiser = s3_app.test_client()
    login(organiser, hall.organiser.email, PASSWORD)
    download = organiser.get(f"/certificates/{issued[0][0]}.pdf")
    assert download.status_code == 200 and download.data == pdf
    assert _local_files(tmp_path) == []


def _pdf_names(app):
    with app.app_context():
        return db.session.scalars(select(Certificate.pdf_storage_name)).all()


@pytest.fixture
def fresh_s3_instance(s3_app, s3_bucket, tmp_path):  # noqa: F811
    """A new, empty instance (database and storage: another prefix of the bucket) to restore into."""
    endpoint, bucket = s3_bucket
    postgres = None
    if s3_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        postgres = PostgresDatabase(s3_app.config["SQLALCHEMY_DATABASE_URI"])
        postgres.create()
        url = postgres.url
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    instance = create_app({"SQLALCHEMY_DATABASE_URI": url,
                           "SERVER_NAME": "localhost", "PUBLIC_BASE_URL": "https://cnnt.example.vn",
                           "AUDIT_CHECKPOINT_FILE": str(tmp_path / "restored-checkpoints.log"),
                           **_s3_settings(endpoint, bucket, tmp_path / "restored", prefix="restored/")})
    yield instance
    with instance.app_context():
        db.engine.dispose()
    if postgres:
        postgres.drop()


def test_a_backup_of_s3_storage_restores_into_s3_and_verifies(s3_app, fresh_s3_instance, make_user, signer, runner,
                                                              s3_bucket, tmp_path):  # noqa: F811
    hall = certify(s3_app, make_user)
    issued = issue_certificates(s3_app, hall)
    with s3_app.app_context():
        publish_checkpoint("manual")
        db.session.commit()
        photos = db.session.scalars(select(ProductFile.storage_name)).all()
    result = runner.invoke(args=["backup", "create", "--out", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    (archive,) = (tmp_path / "backups").glob("cnnt-backup-*.tar.gz")
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
    assert {f"certificates/{name}" for name in _pdf_names(s3_app)} <= names
    assert {f"uploads/{name}" for name in photos} <= names
    restored = fresh_s3_instance.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert f"{len(issued)} certificates with their PDFs" in restored.output
    objects = _objects(s3_bucket)
    assert {f"restored/certificates/{name}" for name in _pdf_names(s3_app)} <= objects
    assert {f"restored/uploads/{name}" for name in photos} <= objects
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.parent.name != "backups"
            and not p.name.startswith("restored")] == []
    # A second restore into the same (now full) storage is refused.
    again = fresh_s3_instance.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert again.exit_code == 1

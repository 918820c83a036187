"""An S3 endpoint for tests: moto's server on a free local port (S3 is a true external edge).

Import the fixtures into a test module (``from tests.fixtures_storage import s3_bucket  # noqa``).
"""
import secrets

import pytest


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a moto S3 server running in this process, with dummy credentials in the environment
    (where boto3's usual chain finds them, as it would find real ones)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                            ("AWS_DEFAULT_REGION", "us-east-1")):
            patch.setenv(name, value)
        patch.delenv("AWS_PROFILE", raising=False)
        patch.delenv("AWS_SESSION_TOKEN", raising=False)
        yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint):
    """A new, empty bucket on the moto server: ``(endpoint URL, bucket name)``."""
    import boto3

    name = f"cnnt-test-{secrets.token_hex(6)}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    return s3_endpoint, name

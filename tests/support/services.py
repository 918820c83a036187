"""Outside services the suite uses when they are there (a local Redis): without one, a counted, printed
skip on a developer's machine, and an error under ``CI``, where .ci/run installs and starts them."""
import os

import pytest

LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def not_run(why):
    """A dependency is missing: one printed line and a counted skip, or a failure under ``CI``."""
    print(why)
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI runs every test: .ci/run installs what the suite needs)")
    pytest.skip(why)


def require_redis(url=LOCAL_REDIS):
    """The Redis server at ``url`` answers, or the test does not run (see :func:`not_run`)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        not_run(f"REDIS CHECK NOT RUN: no Redis server answers at {url} ({error}) - apt-get install redis-server")

"""``certificates verify --offline`` opens no network connection and looks up no name, whatever the setup.

The command runs as a verifier runs it (``flask --app wsgi certificates verify …``, in a process of
its own) in a deployment's environment (production settings, a Redis, a Sentry address, the official
address), with every socket and name lookup of that process refused and recorded. A run without
``--offline`` shows that the guard sees a network call when there is one.
"""
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from certificates.rules.signing import PublishedKey, generate_private_key, jwk_set, kid_for, make_token, public_key_b64
from voting.core.clock import today_vn

ROOT = Path(__file__).resolve().parents[2]
#: Refuses and records every way Python reaches the network (sockets of any family, name lookups),
#: then runs the flask command line with the arguments given.
GUARD = r"""
import socket, sys, traceback

attempts = []


def _ipv6_probe():
    # urllib3 (imported by Sentry's SDK when SENTRY_DSN is set) binds a socket to ::1 when it is imported,
    # to learn whether IPv6 exists: no packet leaves the machine. Refused like the rest, but not counted.
    return any(f.filename.endswith("urllib3/util/connection.py") and f.name == "_has_ipv6"
               for f in traceback.extract_stack())


def refuse(name):
    def refused(*args, **kwargs):
        if not (name == "socket" and _ipv6_probe()):
            attempts.append(name)
            print(f"NETWORK ATTEMPT: {name} {args[:2]!r}", file=sys.stderr)
            traceback.print_stack(limit=8, file=sys.stderr)
        raise OSError(f"the test refuses the network ({name})")
    return refused


class NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse("socket")(*args)


socket.socket = socket.SocketType = NoSocket
for name in ("create_connection", "create_server", "socketpair", "fromfd", "getaddrinfo", "gethostbyname",
             "gethostbyname_ex", "gethostbyaddr", "getnameinfo", "getfqdn"):
    setattr(socket, name, refuse(name))

import atexit
atexit.register(lambda: print(f"network attempts: {len(attempts)}", file=sys.stderr))

from flask.cli import main
sys.argv = ["flask", "--app", "wsgi", "certificates", "verify", *sys.argv[1:]]
main()
"""


@pytest.fixture
def verifier(tmp_path):
    key = generate_private_key()
    kid = kid_for(key.public_key())
    issued = today_vn() - timedelta(days=10)
    token = make_token(key, kid, "TNG-2026-0001", issued, issued + timedelta(days=365), "ab" * 32)
    keys = tmp_path / "cnnt-keys.json"
    keys.write_text(json.dumps(jwk_set([PublishedKey(kid, public_key_b64(key))])), encoding="utf-8")
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "SENTRY"))},
        "CNNT_CONFIG": "production", "SECRET_KEY": "x" * 40, "PUBLIC_BASE_URL": "https://cnnt.example.vn",
        "SIGNING_KEY_FILE": str(tmp_path / "absent.pem"),
        # A deployment's services, none of which a verification may touch.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'absent' / 'db.sqlite3'}",
        "REDIS_URL": "redis://redis.example.vn:6379/0", "SENTRY_DSN": "https://key@sentry.example.vn/1",
    }

    def run(*args):
        result = subprocess.run([sys.executable, "-c", GUARD, *args], cwd=ROOT, env=environment,
                                capture_output=True, text=True, timeout=120)
        assert "network attempts:" in result.stderr, result.stderr[-3000:]
        attempts = int(result.stderr.rsplit("network attempts:", 1)[1].split()[0])
        return result, attempts

    return {"token": token, "keys": str(keys), "run": run}


def test_offline_verification_with_a_key_file_touches_no_network(verifier):
    for target in (verifier["token"], "https://forger.example/v/" + verifier["token"]):
        result, attempts = verifier["run"](target, "--keys", verifier["keys"], "--offline")
        assert attempts == 0, result.stderr[-3000:]
        assert result.returncode == 0 and "Chữ ký hợp lệ" in result.stdout, (result.stdout, result.stderr[-2000:])


@pytest.mark.parametrize("keys", [None, "https://cnnt.example.vn/.well-known/cnnt-keys.json"])
def test_offline_verification_never_fetches_the_keys(verifier, keys):
    """Offline, the keys come from a file: without one (or given a URL) it says so, and fetches nothing."""
    result, attempts = verifier["run"](verifier["token"], "--offline", *(["--keys", keys] if keys else []))
    assert attempts == 0, result.stderr[-3000:]
    assert result.returncode != 0 and "--offline" in result.stdout + result.stderr


def test_the_guard_sees_a_network_call_when_there_is_one(verifier):
    """Online (the default with PUBLIC_BASE_URL), the status is asked of the registry: that call is refused
    and counted, and the command says it could not reach the registry."""
    result, attempts = verifier["run"](verifier["token"], "--keys", verifier["keys"])
    assert attempts >= 1 and "Cannot reach the registry" in result.stdout, (result.stdout, result.stderr[-2000:])

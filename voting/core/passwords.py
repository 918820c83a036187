"""Password hashing (argon2id) and the password policy."""
import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from voting.core.text import fold

MIN_LENGTH = 10
MAX_LENGTH = 128
DATA = Path(__file__).resolve().parents[1] / "data"  # voting/data
#: Digits, punctuation and spaces people add to a word to pass a length rule ("anhyeuem2026!").
_DECORATION = re.compile(r"[\d\W_]+$")

_hashers = {}


def _hasher():
    fast = current_app.config.get("PASSWORD_HASH_FAST", False)
    if fast not in _hashers:
        # The fast variant is for the test suite only; it keeps argon2id.
        _hashers[fast] = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if fast else PasswordHasher()
    return _hashers[fast]


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    """Return True if ``password`` matches; False for a missing or foreign hash."""
    if not password_hash:
        # Spend the same time as a real check so that response time does not
        # reveal whether an e-mail address has an account.
        _hasher().hash(password or "timing")
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher().check_needs_rehash(password_hash)


@cache
def common_passwords():
    """The shipped list of common passwords (folded), with the Vietnamese and context words."""
    with gzip.open(DATA / "common-passwords.txt.gz", "rt", encoding="utf-8") as handle:
        words = {fold(line.strip()) for line in handle if line.strip()}
    with open(DATA / "common-passwords-vi.txt", encoding="utf-8") as handle:
        words |= {fold(line.strip()) for line in handle if line.strip() and not line.startswith("#")}
    return frozenset(words)


def is_common(password):
    """Whether ``password`` is a common one, ignoring case, diacritics and spaces, or one of those
    words with only digits and punctuation added."""
    folded = fold(password).replace(" ", "")
    base = _DECORATION.sub("", folded)
    words = common_passwords()
    return folded in words or (len(base) >= 4 and base in words)


def password_problems(password, email=""):
    """Return codes naming what is wrong with ``password`` (empty when acceptable).

    The policy follows NIST SP 800-63B: length over composition rules.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    if password and len(set(password)) < 4:
        problems.append("too_repetitive")
    if password.isdigit() and len(password) >= MIN_LENGTH:
        problems.append("only_digits")
    if len(password) >= MIN_LENGTH and "too_repetitive" not in problems and is_common(password):
        problems.append("common")
    local_part = (email or "").split("@")[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append("contains_email")
    return problems

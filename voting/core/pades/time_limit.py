"""Checking an untrusted PDF's signatures within a time limit, in a child process that is killed when it runs over.

pyHanko reads a PDF in Python: a crafted 20 MB file can keep it busy for long. The check runs in a forked child
(it reads no database and writes nothing); the request waits at most ``seconds``.
"""
import multiprocessing
from dataclasses import dataclass

from voting.core.pades.revisions import changes_after
from voting.core.pades.validation import NotAPdf, check_signatures


class TooSlow(RuntimeError):
    """The check ran over its time limit and was stopped."""


@dataclass(frozen=True)
class Examination:
    findings: list  # SignatureFinding per signature, in document order
    changes: object  # pyHanko's ModificationLevel after the ``since`` prefix; None when not asked


def examine(data, settings, since=None):
    """The signatures of ``data``, and with ``since`` (a length) what changed after its first ``since`` bytes."""
    return Examination(check_signatures(data, settings), changes_after(data, since) if since is not None else None)


def _child(connection, data, settings, since):
    try:
        connection.send(("ok", examine(data, settings, since)))
    except NotAPdf as error:
        connection.send(("not_a_pdf", str(error)))
    except Exception as error:  # a PDF pyHanko cannot make sense of: reported as unreadable, never a 500
        connection.send(("not_a_pdf", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def examine_within(data, settings, seconds, since=None):
    """:func:`examine` run in a child process for at most ``seconds``.

    :raise TooSlow: it ran over. :raise NotAPdf: not a PDF it could read.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, data, settings, since), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TooSlow(f"no answer within {seconds} s")
        outcome, value = receiver.recv()
    except EOFError:
        raise NotAPdf("the check stopped without an answer") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if outcome == "not_a_pdf":
        raise NotAPdf(value)
    return value

"""Checking an untrusted PDF's signatures within a time limit, in a child process that is killed when it runs over.

pyHanko reads a PDF in Python: a crafted 20 MB file can keep it busy for long. The check runs in a forked child
(it reads no database and writes nothing); the request waits at most ``seconds``.
"""
import multiprocessing
from dataclasses import dataclass

from voting.core.pades.revisions import only_signatures_added
from voting.core.pades.validation import NotAPdf, check_signatures


class TooSlow(RuntimeError):
    """The check ran over its time limit and was stopped."""


#: The pages whose text :func:`examine` reads at most (a decision with its annex has a handful).
MAX_TEXT_PAGES = 60


@dataclass(frozen=True)
class Examination:
    findings: list  # SignatureFinding per signature, in document order
    #: Whether all after the ``since`` prefix only adds signatures (:func:`~voting.core.pades.revisions.only_signatures_added`);
    #: None when not asked.
    signatures_only: bool | None = None
    text: str | None = None  # the pages' text, when asked


def examine(data, settings, since=None, text=False):
    """The signatures of ``data``; with ``since`` (a length) whether all after its first ``since`` bytes only adds
    signatures; with ``text`` the text of its pages."""
    return Examination(check_signatures(data, settings),
                       only_signatures_added(data, since) if since is not None else None, _text(data) if text else None)


def _text(data):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_TEXT_PAGES])


def _child(connection, data, settings, since, text):
    try:
        connection.send(("ok", examine(data, settings, since, text)))
    except NotAPdf as error:
        connection.send(("not_a_pdf", str(error)))
    except Exception as error:  # a PDF pyHanko cannot make sense of: reported as unreadable, never a 500
        connection.send(("not_a_pdf", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def examine_within(data, settings, seconds, since=None, text=False):
    """:func:`examine` run in a child process for at most ``seconds``.

    :raise TooSlow: it ran over. :raise NotAPdf: not a PDF it could read.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, data, settings, since, text), daemon=True)
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

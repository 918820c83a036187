"""A PDF's revisions: where each earlier state of the file ends, and what changed after one of them.

A PDF is signed by appending: the bytes the platform issued stay the file's first bytes, and every later
signature (or edit) is a revision after them. A copy can therefore be traced to the platform's file by the
SHA-256 of one of its prefixes ending at an end-of-file marker, and what happened after that prefix is told by
pyHanko's difference analysis: only signatures added (and their validation data), or the page changed.
"""
import hashlib
import re
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
from pyhanko.sign.fields import MDPPerm

#: At most this many earlier states are looked at (a signed certificate has two or three).
MAX_REVISIONS = 20
_EOF = re.compile(rb"%%EOF(\r\n|\r|\n)?")


def prefixes(data):
    """``{sha256 hex: length}`` of every prefix of ``data`` that ends an earlier state of the file (after an
    ``%%EOF`` marker and its end of line, or without it), the whole file included."""
    found = {hashlib.sha256(data).hexdigest(): len(data)}
    for count, match in enumerate(_EOF.finditer(data)):
        if count >= MAX_REVISIONS:
            break
        for end in {match.start() + len(b"%%EOF"), match.end()}:
            found.setdefault(hashlib.sha256(data[:end]).hexdigest(), end)
    return found


def changes_after(data, length):
    """How the file changed after its first ``length`` bytes, by pyHanko's rules: ``ModificationLevel.NONE``
    (nothing), ``FORM_FILLING`` (signatures added, as signing does), ``LTA_UPDATES`` (validation data), or worse
    (``ANNOTATIONS``, ``OTHER``: the document itself was changed)."""
    if length >= len(data):
        return ModificationLevel.NONE
    reader = PdfFileReader(BytesIO(data), strict=False)
    base = max((revision for revision in range(reader.xrefs.total_revisions)
                if reader.xrefs.get_xref_container_info(revision).start_location < length), default=0)
    if base >= reader.xrefs.total_revisions - 1:
        return ModificationLevel.NONE
    result = DEFAULT_DIFF_POLICY.review_file(reader, base, doc_mdp=MDPPerm.FILL_FORMS)
    if isinstance(result, SuspiciousModification):
        return ModificationLevel.OTHER
    return result.modification_level


def only_signatures_added(level):
    return level <= ModificationLevel.FORM_FILLING

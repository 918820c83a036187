"""The facts that identify a round's document, and whether a signed copy's text carries them.

An office may amend the .docx of a decision or minutes before it signs it with its own tools, so an uploaded signed
copy is not byte for byte the platform's: it must carry the same identifying facts (issue 22): the number, the date,
the signer, and for a decision or minutes the entries decided with their codes. Text is compared after Unicode NFC,
case folding and collapsing white space; a date may be written "ngày 05 tháng 3 năm 2026" or "05/03/2026".
"""
import re
import unicodedata
from dataclasses import dataclass

from voting.models import SignedKind


@dataclass(frozen=True)
class Fact:
    label: str  # what the fact is, in Vietnamese (a legal document's facts)
    value: str  # as the platform records it
    kind: str = "text"  # "text", "date" (value dd/mm/yyyy) or "words" (every word present: a name a table may wrap)


@dataclass(frozen=True)
class Compared:
    fact: Fact
    found: bool


def folded(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).casefold().strip()


def expected_facts(kind, round_, decision=None):
    """The facts the platform records for ``kind`` of ``round_`` (of ``decision`` for a decision or minutes)."""
    kind = SignedKind(kind)
    if kind == SignedKind.FOUNDING:
        council = round_.council
        from voting.documents.council_decisions import founding_decision_doc

        doc = founding_decision_doc(round_)
        return [Fact("Số quyết định", council.founding_number), Fact("Ngày", _dmy(council.founded_on), "date"),
                Fact("Người ký", doc.signer.name)]
    entries = sorted(decision.entries, key=lambda entry: entry.rank)
    listed = [Fact(f"Mã số sản phẩm {index}", entry.entry_code) for index, entry in enumerate(entries, 1)
              if entry.entry_code]
    listed += [Fact(f"Tên sản phẩm {index}", entry.product_name, "words") for index, entry in enumerate(entries, 1)
               if entry.product_name]
    if kind == SignedKind.DECISION:
        return [Fact("Số quyết định", decision.decision_number), Fact("Ngày", _dmy(decision.decision_on), "date"),
                Fact("Người ký", decision.signer_name or ""), *listed]
    from voting.documents.minutes import minutes_doc

    minutes = minutes_doc(decision)
    head = [Fact("Số biên bản", minutes.number)] if minutes.number else []
    return [*head, Fact("Ngày họp", _dmy(decision.meeting_on), "date"), Fact("Người chủ trì", minutes.chair), *listed]


def compare(facts, text):
    """Each fact with whether ``text`` carries it."""
    haystack = folded(text)
    return [Compared(fact, _found(fact, haystack)) for fact in facts if fact.value]


def _found(fact, haystack):
    if fact.kind == "date":
        day, month, year = (int(part) for part in fact.value.split("/"))
        written = (rf"0?{day}\s*/\s*0?{month}\s*/\s*{year}",
                   rf"ngày\s+0?{day}\s+tháng\s+0?{month}\s+năm\s+{year}")
        return any(re.search(pattern, haystack) for pattern in written)
    if fact.kind == "words":
        words = set(re.findall(r"\w+", haystack))
        return all(word in words for word in re.findall(r"\w+", folded(fact.value)))
    return folded(fact.value) in haystack


def _dmy(day):
    return day.strftime("%d/%m/%Y") if day else ""

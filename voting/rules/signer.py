"""The signer block of an official document, as Nghị định 30/2020/NĐ-CP (Phụ lục I) prints it.

Above the signature, in bold capitals, one line per level of authority:

- TM. and the collective body the signer acts for ("TM. ỦY BAN NHÂN DÂN");
- KT. / TL. / TUQ. / Q. and the head's title signed for ("KT. CHỦ TỊCH");
- the signer's own title ("PHÓ CHỦ TỊCH"), except for Q., whose line already names the post held;

then room for the signature and the seal, then the name. :func:`signer_lines` is the one place
that composes these lines; every document passes them to ``official.signer`` in
``templates/pdf/_official.html`` (``official.signer_block`` takes a :class:`SignerBlock` itself).
"""
from dataclasses import asdict, dataclass

from voting.core.text import nfc
from voting.models.signer import FOR_HEAD, SignerCapacity

__all__ = ["PREFIXES", "SignerBlock", "signer_lines", "signer_lines_of", "signer_problems"]

#: The abbreviation printed before the name of what is signed for.
PREFIXES = {SignerCapacity.TM: "TM.", SignerCapacity.KT: "KT.", SignerCapacity.TL: "TL.",
            SignerCapacity.TUQ: "TUQ.", SignerCapacity.Q: "Q."}
COLUMNS = {"capacity": "signer_capacity", "body": "signer_body", "head_title": "signer_head_title",
           "title": "signer_title", "name": "signer_name"}


@dataclass(frozen=True)
class SignerBlock:
    """Who signs and in what capacity, as plain values (no ORM object)."""

    capacity: str = SignerCapacity.NONE
    body: str = ""
    head_title: str = ""
    title: str = ""
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "capacity", SignerCapacity(self.capacity or SignerCapacity.NONE))
        for key in ("body", "head_title", "title", "name"):
            object.__setattr__(self, key, " ".join(nfc(getattr(self, key) or "").split()))

    @classmethod
    def of(cls, row):
        """The block stored on a row with :class:`~voting.models.signer.SignerColumns` (a round, a decision)."""
        return cls(**{key: getattr(row, column) for key, column in COLUMNS.items()})

    def columns(self):
        """``{column: value}`` to set on a row with :class:`~voting.models.signer.SignerColumns`."""
        return {column: getattr(self, key) for key, column in COLUMNS.items()}

    def as_dict(self):
        return {**asdict(self), "capacity": str(self.capacity)}

    @property
    def is_empty(self):
        return self.capacity == SignerCapacity.NONE and not (self.body or self.head_title or self.title or self.name)

    @property
    def lines(self):
        return signer_lines(self)


def signer_lines(block):
    """The capacity lines printed above the signature, in capitals, in order (the name not included).

    >>> signer_lines(SignerBlock("kt", "Ủy ban nhân dân", "Chủ tịch", "Phó Chủ tịch", "Nguyễn Văn A"))
    ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH')
    """
    lines = []
    if block.body:
        lines.append(f"TM. {block.body}")
    if block.capacity in FOR_HEAD and block.head_title:
        lines.append(f"{PREFIXES[block.capacity]} {block.head_title}")
    if block.title and block.capacity != SignerCapacity.Q:
        lines.append(block.title)
    return tuple(line.upper() for line in lines)


def signer_problems(block, *, required):
    """What is missing or out of place in ``block``: ``{field: problem code}`` (empty when it can be printed).

    :param required: the document needs a signer (a decision); otherwise an empty block is accepted
        (a round may not know its signer yet), but a block begun must be complete.

    Codes: ``name_required``, ``title_required``, ``body_required`` (TM. without the body),
    ``body_without_capacity`` (a body with no capacity: that is TM.), ``head_required`` (KT./TL./TUQ./Q.
    without the head's title), ``head_without_capacity``, ``title_with_acting`` (Q. prints no own title).
    """
    if block.is_empty and not required:
        return {}
    problems = {}
    capacity = block.capacity
    if capacity == SignerCapacity.TM and not block.body:
        problems["body"] = "body_required"
    elif capacity == SignerCapacity.NONE and block.body:
        problems["body"] = "body_without_capacity"
    if capacity in FOR_HEAD and not block.head_title:
        problems["head_title"] = "head_required"
    elif capacity not in FOR_HEAD and block.head_title:
        problems["head_title"] = "head_without_capacity"
    if capacity == SignerCapacity.Q and block.title:
        problems["title"] = "title_with_acting"
    elif capacity != SignerCapacity.Q and not block.title:
        problems["title"] = "title_required"
    if required and not block.name:
        problems["name"] = "name_required"
    return problems


def signer_lines_of(value):
    """:func:`signer_lines` of a :class:`SignerBlock` or of a row holding one (the ``signer_lines`` filter)."""
    return signer_lines(value if isinstance(value, SignerBlock) else SignerBlock.of(value))

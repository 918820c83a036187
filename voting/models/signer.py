"""The signer of an official document (người ký), stored as Nghị định 30/2020/NĐ-CP, Phụ lục I, has it.

A decision, a certificate or a list is signed by a person (``signer_name``) in a capacity:
for a collective body (TM.), in place of its head (KT.), by order (TL.), by authorisation (TUQ.),
as acting head (Q.), or in their own right (none). The columns keep the pieces apart so that
the block prints the lines the decree prescribes (:mod:`voting.rules.signer`).
"""
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from voting.models.base import sql_values


class SignerCapacity(StrEnum):
    """Thẩm quyền ký: how the signer signs (the abbreviation printed is in ``voting.rules.signer``)."""

    NONE = "none"
    TM = "tm"  # thay mặt (a collective body)
    KT = "kt"  # ký thay (the head)
    TL = "tl"  # thừa lệnh
    TUQ = "tuq"  # thừa ủy quyền
    Q = "q"  # quyền (acting head)


#: Capacities that name the head signed for ("KT. CHỦ TỊCH").
FOR_HEAD = (SignerCapacity.KT, SignerCapacity.TL, SignerCapacity.TUQ, SignerCapacity.Q)


class SignerColumns:
    """The signer block's columns; a table using it adds :meth:`signer_checks` to its table args."""

    #: One of :class:`SignerCapacity`.
    signer_capacity: Mapped[str] = mapped_column(String(10), default=SignerCapacity.NONE)
    #: The collective body signed for with TM. ("ỦY BAN NHÂN DÂN"); may precede KT./TL./TUQ./Q.
    signer_body: Mapped[str] = mapped_column(String(200), default="")
    #: The head's title signed for with KT./TL./TUQ./Q. ("CHỦ TỊCH").
    signer_head_title: Mapped[str] = mapped_column(String(200), default="")
    #: The signer's own title ("PHÓ CHỦ TỊCH").
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")

    @staticmethod
    def signer_checks():
        """The block's invariants: a known capacity, and the names each capacity needs."""
        return (
            CheckConstraint(f"signer_capacity IN ({sql_values(SignerCapacity)})", name="signer_capacity_known"),
            CheckConstraint("signer_capacity <> 'tm' OR signer_body <> ''", name="signer_tm_names_body"),
            CheckConstraint(f"signer_capacity NOT IN ({sql_values(FOR_HEAD)}) OR signer_head_title <> ''",
                            name="signer_names_head"),
            CheckConstraint("signer_capacity <> 'none' OR signer_body = ''", name="signer_body_with_tm"),
        )

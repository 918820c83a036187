"""The producer's address as the public may read it, on certificates, registry pages and lists.

Personal data (Nghị định 13/2023/NĐ-CP; ``shared/domain`` "Time and personal data"): the commune
(xã, phường, đặc khu) and the province are public, as on the province's recognition decision; the
street address (thôn, số nhà, đường) only when the producer consented (``Producer.publish_address``).
"""
from voting.core.text import fold


def public_address(producer):
    """"Thôn Cầu Cao, Xã Sơn Dương, Tuyên Quang" with consent, "Xã Sơn Dương, Tuyên Quang" without;
    the province alone when the commune is unknown. A part the street address already names (a producer
    often types its commune there) is not repeated."""
    if producer is None:
        return ""
    street = (producer.address or "").strip() if producer.publish_address else ""
    parts = [street] if street else []
    for unit in (producer.commune, producer.province):
        name = unit.name.strip() if unit is not None else ""
        # Compared with the street only: "Phường Lào Cai" is in the province of Lào Cai.
        if name and fold(name) not in fold(street):
            parts.append(name)
    return ", ".join(parts)

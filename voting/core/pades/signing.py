"""Signing a PDF the platform made: PAdES baseline B-B, B-T with a timestamp authority, B-LT with revocation data.

The signature is an incremental update: the bytes the platform rendered stay as they were, followed by the
signature's revision, so that a verifier can check a signed copy against the unsigned one byte for byte.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO

from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from voting.core.pades.stamp import PADDING_MM, PT_PER_MM, shown_time
from voting.core.pades.trust import revocation_lists, trust_roots

FIELD_NAME = "ChuKySo"
#: Room for the CMS signature: certificate chain, signed attributes, a timestamp token; checked, not guessed
#: (pyHanko refuses a signature that does not fit, and the test CA's chains take under 8 KB).
RESERVED_BYTES = 16 * 1024
#: The stamp's blue (static/css/pdf.css, .digital-stamp: #1f3f8f), as RGB fractions.
STAMP_BLUE = (0x1F / 255, 0x3F / 255, 0x8F / 255)
#: How pyHanko hands the signing time to the appearance: read back and shown in Vietnam's time.
_HANDOVER_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class SigningTimeStyle(TextStampStyle):
    """pyHanko's text stamp printing the signing time only, in Vietnam's time whatever the server's zone."""

    def __init__(self):
        super().__init__(
            stamp_text="%(ts)s", timestamp_format=_HANDOVER_FORMAT, border_width=0, background=None,
            text_box_style=TextBoxStyle(
                font=SimpleFontEngineFactory("Helvetica", 0.55), font_size=7, text_color=STAMP_BLUE,
                box_layout_rule=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MIN)),
            inner_content_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MIN,
                margins=Margins(left=PADDING_MM * PT_PER_MM, bottom=PADDING_MM * PT_PER_MM),
                inner_content_scaling=InnerScaling.NO_SCALING))

    def create_stamp(self, writer, box, text_params):
        moment = datetime.strptime(text_params["ts"], _HANDOVER_FORMAT)
        return super().create_stamp(writer, box, {**text_params, "ts": shown_time(moment)})


_STYLE = SigningTimeStyle()


class SigningRefused(RuntimeError):
    """pyHanko would not sign: the key's certificate is revoked or does not chain to the trust roots (B-LT checks
    it first), or the timestamp authority did not answer. The message says which."""


@dataclass(frozen=True)
class SignedPdf:
    """A signed PDF and what its signature says of itself: whose certificate, and when (as the platform's clock)."""

    data: bytes
    signed_by: str
    signed_at: datetime


class _PdfSignerAt(signers.PdfSigner):
    """pyHanko's signer, signing at a time the caller chose (its clock read once), so that the caller knows
    exactly the time in the signature and its stamp."""

    def __init__(self, *args, signing_time, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, *args, **kwargs):
        session = super().init_signing_session(*args, **kwargs)
        session.system_time = self._signing_time
        return session


def sign_pdf(data, opened, settings, *, box=None, page=0, reason=None, location=None, field_name=FIELD_NAME):
    """``data`` signed by ``opened`` (a :class:`~voting.core.pades.signers.OpenedSigner`): a :class:`SignedPdf`.

    :param box: the visible signature's rectangle ``(x1, y1, x2, y2)`` in points on ``page``; None: invisible.
    :param settings: the :class:`~voting.core.pades.settings.SignersSettings` (timestamp authority, revocation).
    :param field_name: the signature field's name, new in the document (a second signature needs another).
    """
    long_term = settings.fetch_revocation or bool(settings.crl_files)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason, location=location, subfilter=fields.SigSeedSubFilter.PADES,
        use_pades_lta=False, embed_validation_info=long_term,
        validation_context=validation_context(settings) if long_term else None)
    spec = fields.SigFieldSpec(field_name, box=box, on_page=page) if box else fields.SigFieldSpec(field_name)
    signing_time = datetime.now(timezone.utc).replace(microsecond=0)  # a PDF date has whole seconds
    pdf_signer = _PdfSignerAt(
        metadata, signing_time=signing_time, signer=opened.signer, stamp_style=_STYLE if box else None, new_field_spec=spec,
        timestamper=HTTPTimeStamper(settings.timestamp_url, timeout=10) if settings.timestamp_url else None)
    out = BytesIO()
    try:
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(data), strict=False), output=out,
                            bytes_reserved=RESERVED_BYTES)
    except (SigningError, TimestampRequestError) as error:
        raise SigningRefused(f"{opened.subject_name}: {_reason(error)}") from error
    return SignedPdf(out.getvalue(), opened.subject_name, signing_time)


def _reason(error):
    """pyHanko's message, with the certificate validator's reason when that is what stopped it."""
    cause = error.__cause__ or error.__context__
    return f"{error} ({cause})" if cause is not None else str(error)


def validation_context(settings, **kwargs):
    """pyHanko's validation context for ``settings``: its trust roots, its CRLs, fetching if allowed."""
    return ValidationContext(trust_roots=trust_roots(settings), crls=revocation_lists(settings),
                             allow_fetching=settings.fetch_revocation,
                             revocation_mode="hard-fail" if settings.fetch_revocation else "soft-fail", **kwargs)

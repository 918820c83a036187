"""Sending a generated document back, for any blueprint (PDFs go through :func:`voting.core.pdf.pdf_response`)."""
from io import BytesIO

from flask import send_file

from voting.core.pdf import ascii_filename
from voting.documents.official_docx import DOCX_MIMETYPE


def docx_response(data, filename):
    """An editable .docx as a download named ``filename`` (in ASCII), kept out of shared caches like the PDFs."""
    response = send_file(BytesIO(data), as_attachment=True, mimetype=DOCX_MIMETYPE,
                         download_name=ascii_filename(filename))
    response.headers["Cache-Control"] = "private, no-store"
    return response

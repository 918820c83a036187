"""LibreOffice and poppler in tests: files converted to PDF headless, and the words of a PDF with their boxes.

Needs ``soffice`` (Debian: ``libreoffice-calc-nogui`` for workbooks, ``libreoffice-writer-nogui`` for
.docx; without recommends), Liberation fonts (Times New Roman's metrics) and ``pdftotext``
(``poppler-utils``); ``.ci/run`` installs them. A test without them is skipped with :data:`NOT_RUN`,
which tests/conftest.py counts in a line of its own; under ``CI`` it fails instead.
"""
import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

#: The reason a run without LibreOffice names; tests/conftest.py counts the tests skipped for it.
NOT_RUN = "LibreOffice print checks not run"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def missing_tools(*names):
    """None, or why ``names`` (``soffice``, ``pdftotext``) cannot run."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return None
    return (f"{NOT_RUN}: {', '.join(missing)} not found (Debian: apt-get install --no-install-recommends "
            "libreoffice-calc-nogui libreoffice-writer-nogui fonts-liberation poppler-utils)")


def require_tools(*names):
    """Skip the calling test without ``names`` (fail it under ``CI``)."""
    missing = missing_tools(*names)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


def convert_to_pdf(tmp_path, names, timeout=240):
    """Convert the files ``names`` in ``tmp_path`` to PDF there with ONE headless LibreOffice run.

    Its start-up is most of the cost, so files go together; its profile is a folder of its own under
    ``tmp_path``, so that parallel runs never share one.
    """
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *names],
                   cwd=tmp_path, capture_output=True, check=True, timeout=timeout)


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple


def pages_of(pdf_path):
    """The pages of a PDF with their words and boxes (points, origin top left), as ``pdftotext -bbox`` reads them."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                           check=True, timeout=60).stdout
    pages = []
    for number, body in enumerate(boxes.split("<page ")[1:], start=1):
        width, height = PAGE.match("<page " + body).groups()
        words = tuple(Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text))
                      for x0, y0, x1, y1, text in WORD.findall(body))
        pages.append(Page(number, float(width), float(height), words))
    return pages

"""What a process pays before it serves: the web app does not load the PDF engine until it makes a PDF."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import sys
from wsgi import app
print("after start:", "weasyprint" in sys.modules)
with app.app_context():
    from voting.core.pdf import render_pdf
    data = render_pdf("pdf/_official.html", {})
print("after a PDF:", "weasyprint" in sys.modules, data[:5])
from PIL import ImageFile
print("truncated images:", ImageFile.LOAD_TRUNCATED_IMAGES)
"""


def test_the_web_app_loads_weasyprint_with_its_first_pdf_only():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "CNNT_CONFIG": "testing"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "after start: False" in result.stdout
    assert "after a PDF: True b'%PDF-'" in result.stdout
    # WeasyPrint's import turns Pillow's truncated-image tolerance on; the engine module turns it off again.
    assert "truncated images: False" in result.stdout

"""Layout checks of rendered PDFs."""
import pypdfium2

MARGIN_MM = 8


def assert_margins_blank(data, margin_mm=MARGIN_MM, dpi=60):
    """Every page has ink, and none of it in the outer ``margin_mm`` strip on any side."""
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil().convert("L")
            width, height = image.size
            strip = round(margin_mm / 25.4 * dpi)
            assert image.getextrema()[0] < 128, f"page {index + 1} is blank"
            for box in ((0, 0, width, strip), (0, height - strip, width, height),
                        (0, 0, strip, height), (width - strip, 0, width, height)):
                darkest = image.crop(box).getextrema()[0]
                assert darkest > 240, f"ink in the outer margin of page {index + 1} at {box}"
    finally:
        document.close()

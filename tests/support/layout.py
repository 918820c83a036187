"""Where the blocks of an official document sit: on a PDF page read by ``pdftotext -bbox``
(:func:`tests.support.office.pages_of`), and in the cells of a .docx read by python-docx."""


def find(page, phrase):
    """The box (x0, y0, x1, y1) of the first run of consecutive words on ``page`` that reads ``phrase``; else None."""
    wanted = phrase.split()
    words = page.words
    for start in range(len(words) - len(wanted) + 1):
        run = words[start:start + len(wanted)]
        if [w.text for w in run] == wanted:
            return (min(w.x0 for w in run), min(w.y0 for w in run), max(w.x1 for w in run), max(w.y1 for w in run))
    return None


def text(page):
    return " ".join(w.text for w in page.words)


def centre(box):
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def top_left(page, box):
    """In the page's top-left quarter (left half, top fourth)."""
    return box is not None and centre(box)[0] < page.width / 2 and centre(box)[1] < page.height / 4


def top_right(page, box):
    return box is not None and centre(box)[0] > page.width / 2 and centre(box)[1] < page.height / 4


def cell_text(cell):
    """A .docx table cell's paragraphs, one a line."""
    return "\n".join(p.text for p in cell.paragraphs)

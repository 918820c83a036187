"""PAdES digital signatures (chữ ký số) on the platform's PDFs, with pyHanko.

Each issuing authority signs with its own key, which never enters the database or the backups: a
PKCS#12 file or a PKCS#11 token named in the file ``DOCUMENT_SIGNERS_FILE`` (:mod:`.settings`). The
modules: :mod:`.settings` reads that file, :mod:`.signers` opens an authority's key, :mod:`.stamp` places
the visible signature, :mod:`.signing` signs a PDF, :mod:`.validation` checks a signed one.
"""

"""Tests of certificates/: issuance, PDFs and QR codes, signing, verification, the registry."""

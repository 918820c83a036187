"""The certificate's documents: its PDF, packaging label sheets, its picture, the QR code.

May import certificates.models, certificates.rules and voting.core.
"""

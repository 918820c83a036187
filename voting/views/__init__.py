"""Blueprints, one per audience: public, auth, account, producer, jury, organiser, admin."""

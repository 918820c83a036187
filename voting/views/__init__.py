"""Blueprints, one per audience: public, auth, account, producer, jury, organiser, admin.

Beside the blueprint packages, the helpers every view shares (messages, transactions, files,
error pages, context). May import anything of voting (forms, operations, rules, documents, core, models); views own the
transaction (one commit per request). Never imported by operations, rules, documents or models.
"""

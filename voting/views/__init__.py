"""The selection's pages: one package per blueprint (public, auth, account, producer, jury, council,
organiser, results, admin, api), beside the helpers every view shares (messages, transactions,
files, error pages, template context).

Each package's ``__init__`` holds its blueprint and its URL table (every ``add_url_rule`` of the
package, in one place); the view functions live in the modules it names. Views may import anything
of voting (forms, operations, rules, documents, core, models) and own the transaction: one commit per
request. Nothing but the app factory imports them.
"""

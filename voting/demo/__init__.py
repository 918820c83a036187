"""Demo data for `make run`: producers, dossiers, rounds in every state, results, nominations,
history imported from paper; seeded through the public operations, as people would.

May import anything of voting. Entry point: :func:`voting.demo.seed.seed_demo`.
"""

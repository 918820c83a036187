"""Demo data for `make run`: producers, dossiers, rounds in every state, results, nominations,
history imported from paper; seeded through the public operations, as people would.

May import anything of voting. Entry point: :func:`voting.demo.seed.seed.seed_demo`.
Never imports :mod:`certificates`: the demo's certificates (issued, withdrawn, corrected) and its
paper history are parts that ``certificates.init_app`` registers (:func:`register_part`) and the
demo runs in its order (:func:`seed_part`); a demo round is certified through the certification port.
"""
from flask import current_app

#: Where the registered parts are kept on the app: ``{name: seed(users, today) -> counts}``.
EXTENSION = "voting.demo_parts"


def register_part(app, name, seed):
    """Register ``seed(users, today)``, returning a dict of counts, as the demo's part ``name``."""
    app.extensions.setdefault(EXTENSION, {})[name] = seed


def seed_part(name, users, today):
    """Run the demo's part ``name``; return its counts.

    :raise RuntimeError: if no such part was registered (a demo without its certificates would mislead).
    """
    seed = current_app.extensions.get(EXTENSION, {}).get(name)
    if seed is None:
        raise RuntimeError(f"The demo part {name!r} is not registered: certificates.init_app(app) was not called.")
    return seed(users, today)

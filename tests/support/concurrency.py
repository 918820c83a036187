"""Actions run at the same moment in threads of their own, for races."""
import threading

from voting.extensions import db


def run_together(app, *actions, timeout=120):
    """Run each ``action()`` in its own thread and app context, started at once; their outcomes
    in order: the value returned, or the exception raised (a DomainError is a refusal)."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def worker(index, action):
        with app.app_context():
            try:
                start.wait()
                outcomes[index] = action()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - returned to the test
                db.session.rollback()
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a writer is stuck (a deadlock?)"
    return outcomes

"""The app's Flask class: Flask, asking once per callable whether it must be run as a coroutine."""
from flask import Flask

#: Callables remembered at most: the views, request hooks and error handlers (a few hundred here).
REMEMBERED = 4096


class Application(Flask):
    """Flask asks :func:`inspect.iscoroutinefunction` of every view, request hook and teardown function on every
    request (18 calls for a verification here, about 5 % of a ping's CPU), although the answer for a given
    callable never changes; this class asks once per callable and answers the same from then on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_callables = {}

    def ensure_sync(self, func):
        try:
            return self._sync_callables[func]
        except KeyError:
            synced = super().ensure_sync(func)
            if len(self._sync_callables) < REMEMBERED:
                self._sync_callables[func] = synced
            return synced
        except TypeError:  # an unhashable callable: asked each time, as Flask does
            return super().ensure_sync(func)

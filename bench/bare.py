"""The route benchmark's baseline: a bare Flask JSON route, one file, no extensions.

``make bench`` serves it with the same gunicorn configuration as the app (``gunicorn.conf.py``,
``WEB_CONCURRENCY=2``) and loads it in the same run, alternating with the app's routes: what the
framework and the server cost with nothing of ours, the ceiling every route is a ratio of.
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return {"ok": True}

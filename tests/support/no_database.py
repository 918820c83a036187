"""Fixtures for modules whose tests render documents from plain values and never touch the database: an app that
is never connected replaces the session's, and the database-cleaning fixture does nothing.

A module takes them by naming them (pytest finds fixtures among a module's names)::

    app, no_cleaning, in_app_context = no_database.app, no_database.no_cleaning, no_database.in_app_context
"""
import pytest

from voting import create_app


@pytest.fixture(scope="module")
def app():
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVER_NAME": "localhost"})


@pytest.fixture(autouse=True, name="_clean_database")
def no_cleaning():
    """Nothing to clean: these tests never touch the database (replaces tests/conftest.py's fixture)."""
    yield


@pytest.fixture(autouse=True, name="_app_context")
def in_app_context(app):
    with app.app_context():
        yield

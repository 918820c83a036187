import logging
from logging.config import fileConfig

from flask import current_app

from alembic import context
from alembic.operations import Operations

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# Keep the application's loggers (WeasyPrint's among them) working in processes that migrate.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')


def _batches_reflect_their_table_only():
    """Every ``op.batch_alter_table`` reflects its own table, not the tables its foreign keys name.

    On SQLite most batch operations copy the table, reflecting it first; SQLAlchemy then also reflects
    every table a foreign key points to, and theirs in turn (340 reflections for 37 tables in an
    upgrade from nothing). The copy needs only the table: alembic puts a stand-in in place of each
    referred table. An upgrade and a downgrade from nothing went from 6.2 to 3.1 s of CPU (3 runs
    each, 06/12/2026); the test suite migrates some twenty databases. ``test_migrations`` still
    compares the result with the models, on SQLite and PostgreSQL (where batches alter in place).
    """
    if getattr(Operations.batch_alter_table, "reflects_table_only", False):
        return  # env.py runs again for every command in the same process
    batch_alter_table = Operations.batch_alter_table

    def reflecting_table_only(self, *args, reflect_kwargs=None, **kwargs):
        return batch_alter_table(self, *args, reflect_kwargs={"resolve_fks": False, **(reflect_kwargs or {})},
                                 **kwargs)

    reflecting_table_only.reflects_table_only = True
    Operations.batch_alter_table = reflecting_table_only


_batches_reflect_their_table_only()


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    return get_engine().url.render_as_string(hide_password=False).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def include_object(obj, name, type_, reflected, compare_to):
    """Leave out schema objects the ORM does not model (triggers, full-text tables).

    They are created by hand-written migration steps and checked by their own tests.
    """
    from voting.models.audit import UNMODELLED_OBJECTS

    return name not in UNMODELLED_OBJECTS


def render_item(type_, obj, autogen_context):
    """Render the app's column types as plain SQLAlchemy types, so that
    migrations never import application code."""
    from voting.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    conf_args.setdefault("include_object", include_object)
    conf_args.setdefault("render_item", render_item)
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode rebuilds a table by copy-drop-rename; with foreign keys on,
            # dropping a table other rows point at fails. Checked again below.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # end the autobegun transaction so Alembic owns the next one
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            **conf_args
        )

        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "sqlite":
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if problems:
                raise RuntimeError(f"migration left rows with broken foreign keys: {problems[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""``flask registry``: the public registry's search table and the reports' counts kept with it."""
import click
from flask.cli import AppGroup

from certificates.registry.index import reindex
from voting.extensions import db

registry_cli = AppGroup("registry", help="Sổ đăng ký công khai: chỉ mục tìm kiếm.")


@registry_cli.command("reindex")
def reindex_command():
    """Rebuild the registry's search table (and the reports' counts) from products, certificates and paper
    certificates."""
    count = reindex()
    db.session.commit()
    click.echo(f"{count} registry rows.")

"""``flask documents check-signers``: each authority's key in ``DOCUMENT_SIGNERS_FILE``, opened and validated."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from voting.core.pades.settings import settings_of
from voting.extensions import db

documents_cli = AppGroup("documents", help="Digital signatures (PAdES) on the platform's documents.")


@documents_cli.command("check-signers")
def check_signers():
    """Open every authority's key and validate its certificate; exit 1 if any cannot sign."""
    from voting.core.pades.check import check_all
    from voting.models import IssuingAuthority

    settings = settings_of(current_app)
    if not settings.authorities:
        click.echo("DOCUMENT_SIGNERS_FILE names no authority: documents are issued without a digital signature.")
        return
    known = set(db.session.scalars(select(IssuingAuthority.code)))
    failed = False
    for check in check_all(settings):
        where = "" if check.code in known else " (no issuing authority has this code)"
        if check.problem:
            failed = True
            click.echo(f"FAIL {check.code} [{check.kind}]{where}: {check.problem}")
            continue
        click.echo(f"OK   {check.code} [{check.kind}]{where}: {check.subject}, issued by {check.issuer}, "
                   f"serial {check.serial}, valid until {check.valid_until:%d/%m/%Y}")
    click.echo(f"trust roots: {len(settings.trust_roots)} file(s); revocation lists: {len(settings.crl_files)}; "
               f"fetching revocation data: {'yes' if settings.fetch_revocation else 'no'}; "
               f"timestamp authority: {settings.timestamp_url or 'none'}")
    if failed:
        raise SystemExit(1)

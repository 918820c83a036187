"""Command-line interface: thin click wrappers around operations.

Run as ``flask --app wsgi <command>``.
"""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from voting.extensions import db
from voting.models import JobStatus, Role, User

reference_cli = AppGroup("reference", help="Reference data (provinces, communes, groups, sheet).")
audit_cli = AppGroup("audit", help="The hash-chained audit log.")
backup_cli = AppGroup("backup", help="Backups of the database and files, and their verified restore.")
users_cli = AppGroup("users", help="Accounts.")
jobs_cli = AppGroup("jobs", help="Background jobs (issuance, re-issuance, bulk exports).")


@reference_cli.command("load")
def reference_load():
    """Load reference data; rows that exist are kept as they are."""
    from voting.operations.reference import load_reference_data

    counts = load_reference_data()
    db.session.commit()
    added = ", ".join(f"{name} +{n}" for name, n in counts.items() if n) or "nothing new"
    click.echo(f"Reference data loaded: {added}.")


@audit_cli.command("verify")
def audit_verify():
    """Walk the chain, and compare it with every published checkpoint, in the database and in the
    checkpoint file (exit 1 on any problem: see ``verify_checkpoints``)."""
    from voting.operations.audit import checkpoint_file, verify_chain, verify_checkpoints

    report = verify_chain()
    if not report.ok:
        click.echo(f"Audit chain BROKEN at event #{report.broken_seq}: {report.problem} "
                   f"({report.checked} events verified before it).", err=True)
        sys.exit(1)
    problems = verify_checkpoints()
    for problem in problems:
        click.echo(f"Audit checkpoint MISMATCH: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"Audit chain OK: {report.checked} events, head {report.head_hash}; published checkpoints "
               f"match (database and {checkpoint_file()}).")


@audit_cli.command("checkpoint")
@click.option("--reason", type=click.Choice(["daily", "manual"]), default="daily", show_default=True)
def audit_checkpoint(reason):
    """Publish the chain head: a row shown on the public registry and a line in the checkpoint file
    (run daily, e.g. from cron: ``flask --app wsgi audit checkpoint``; each security-relevant change
    publishes one of its own as it commits)."""
    from voting.operations.audit import checkpoint_file, publish_checkpoint

    checkpoint = publish_checkpoint(reason)
    db.session.commit()
    if checkpoint is None:
        click.echo("The audit chain is empty: nothing to publish.")
        return
    click.echo(f"Published: {checkpoint.line()} (also in {checkpoint_file()}).")


@backup_cli.command("create")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the archive. Default: the instance folder's backups/.")
def backup_create(out_dir):
    """Write the database, uploads, certificate PDFs and key references to one archive."""
    from voting.core.backup import BackupError, create_backup

    try:
        path, manifest = create_backup(out_dir or Path(current_app.instance_path) / "backups")
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written: {path} ({path.stat().st_size:,} bytes; {manifest['audit']['events']} audit events, "
               f"{manifest['certificates']} certificates, {len(manifest['members']) - 1} files). "
               "The signing key's private file is not in it: back that up offline.")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
def backup_restore(archive):
    """Restore ARCHIVE into this instance's empty database and folders, then verify it (exit 1 if it does not)."""
    from voting.core.backup import BackupError, restore_backup

    try:
        report = restore_backup(archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for problem in report.problems:
        click.echo(f"RESTORE PROBLEM: {problem}", err=True)
    if not report.ok:
        sys.exit(1)
    click.echo(f"Restored and verified: audit chain of {report.events} events intact and matching its checkpoints, "
               f"{report.certificates} certificates with their PDFs, {report.files} files.")


@users_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
def create_admin(email, full_name):
    """Create an administrator and print a one-time link to set the password."""
    from voting.operations.accounts import create_staff_account, email_taken
    from voting.core.security import public_url

    if email_taken(email):
        raise click.ClickException(f"{email} already has an account")
    user, token = create_staff_account(None, email=email, full_name=full_name, role=Role.ADMIN)
    db.session.commit()
    link = public_url("auth.reset_password", token=token)
    click.echo(f"Administrator {user.email} created. Set the password within 7 days at:\n{link}")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no accounts yet.")
@with_appcontext
def seed_demo_command(if_empty):
    """Load the clearly labelled demo dataset (refused under production)."""
    from voting.demo.seed import DEMO_ACCOUNTS, seed_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("seed-demo refuses to run under the production configuration.")
    has_users = db.session.scalar(select(func.count(User.id))) > 0
    if if_empty and has_users:
        click.echo("Database already has accounts: demo data not loaded again.")
    else:
        counts = seed_demo()
        db.session.commit()
        click.echo("Demo data loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + ".")
    demo_emails = {a["email"] for a in DEMO_ACCOUNTS}
    present = set(db.session.scalars(select(User.email).where(User.email.in_(demo_emails))))
    if present:
        shown = [a for a in DEMO_ACCOUNTS if a["email"] in present]
        label_width = max(len(a["label"]) for a in shown)
        email_width = max(len(a["email"]) for a in shown)
        click.echo("\nDemo accounts (development only):")
        for account in shown:
            click.echo(f"  {account['label']:<{label_width}}  {account['email']:<{email_width}}  {account['password']}")
        click.echo()


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting for more.")
def jobs_worker(burst):
    """Take jobs from the Redis queue (REDIS_URL, JOBS_QUEUE) and run them; run one per core, on any machine."""
    from voting.core.background import work

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis the app runs each job in a process "
                                   "of its own, and no worker is needed.")
    work(burst=burst)


@jobs_cli.command("run")
@click.argument("job_id", type=int)
def jobs_run(job_id):
    """Run one queued job here and now (e.g. after a failed start); prints how it ended."""
    from voting.core.background import run_job

    job = run_job(job_id)
    if job is None:
        raise click.ClickException(f"No job {job_id}.")
    click.echo(f"Job {job.id} ({job.kind}): {job.status} {job.done}/{job.total} {job.error}".rstrip())
    if job.status == JobStatus.FAILED:
        sys.exit(1)


def register(app):
    from voting.core.pades.cli import documents_cli

    app.cli.add_command(reference_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(documents_cli)


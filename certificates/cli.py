"""``flask certificates …``: signing keys, and checking a certificate token from a terminal.

``verify`` works offline with nothing but the token and the published keys
(a JWK set file or URL, or a PEM public key): it never opens the database, and with
``--offline`` no network connection either (the keys then come from a file).
"""
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from certificates.models import PublicStatus
from certificates.rules.signing import (
    PublishedKey,
    SigningKeyError,
    TokenForged,
    TokenMalformed,
    generate_private_key,
    jwk_set,
    kid_for,
    public_key_b64,
    public_key_from_pem,
    read_jwk_set,
    verify_token,
    write_private_key,
)
from voting.core.clock import today_vn
from voting.core.errors import DomainError
from voting.extensions import db

certificates_cli = AppGroup("certificates", help="Signing keys and certificate tokens.")
KEYS_PATH = "/.well-known/cnnt-keys.json"
TIMEOUT = 5  # seconds; a verifier on a poor connection is told, not kept waiting


@certificates_cli.command("keygen")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Default: SIGNING_KEY_FILE.")
@click.option("--authority", "authority_code", help="The issuing authority's code, for its own key.")
def keygen(out, authority_code):
    """Create a signing key: the private key to a 0600 file, the public key registered as active."""
    from certificates.operations.keys import register_key
    from voting.models import IssuingAuthority

    path = Path(out or current_app.config["SIGNING_KEY_FILE"])
    if path.exists():
        raise click.ClickException(f"{path} already exists: refusing to overwrite a signing key.")
    authority = None
    if authority_code:
        authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == authority_code))
        if authority is None:
            raise click.ClickException(f"No issuing authority with code {authority_code!r}.")
    private_key = generate_private_key()
    try:
        key = register_key(None, public_key_b64(private_key), authority)
        write_private_key(private_key, path)
    except (DomainError, SigningKeyError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    try:
        db.session.commit()
    except BaseException:
        path.unlink()  # an unregistered key file would only mislead
        raise
    click.echo(f"Signing key {key.kid} ({key.scope}) registered as active.")
    click.echo(f"Private key written to {path} (mode 0600): back it up offline; never share it.")


@certificates_cli.command("export-keys")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Default: standard output.")
def export_keys(out):
    """Write every key ever used, with its status, as a JWK set for offline verification."""
    from certificates.models import SigningKey

    keys = db.session.scalars(select(SigningKey).order_by(SigningKey.id)).all()
    text = json.dumps(jwk_set(keys), indent=2) + "\n"
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{len(keys)} keys written to {out}.")
    else:
        click.echo(text, nl=False)


@certificates_cli.command("compromise")
@click.argument("kid")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def compromise(kid, yes):
    """Mark a key compromised and suspend the valid certificates it signed."""
    from certificates.operations.keys import mark_compromised
    from certificates.models import SigningKey

    key = db.session.scalar(select(SigningKey).where(SigningKey.kid == kid))
    if key is None:
        raise click.ClickException(f"No signing key {kid!r}.")
    if not yes:
        click.confirm(f"Mark key {kid} ({key.status}) compromised and suspend its valid certificates?",
                      abort=True)
    try:
        suspended = mark_compromised(None, key, today_vn())
    except DomainError as error:
        raise click.ClickException(f"Key {kid} is already {key.status} ({error.code}).") from None
    db.session.commit()
    click.echo(f"Key {kid} marked compromised; {len(suspended)} certificates suspended.")
    if suspended:
        click.echo("Re-issue them with a new active key: flask certificates keygen --out NEW_PATH, point "
                   "SIGNING_KEY_FILE at it, restart, then flask certificates reissue-compromised.")


# issuance ------------------------------------------------------------------------------------------

@certificates_cli.command("issue")
@click.option("--round", "round_id", type=int, required=True, help="The round whose certificates to issue.")
def issue(round_id):
    """Issue the round's pending certificates (idempotent: run it again to finish an interrupted run)."""
    from certificates.operations.issuance import pending_entries
    from certificates.jobs import issue_round
    from voting.models import Round
    from voting.operations.rounds import PreconditionFailed

    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(f"No round {round_id}.")
    _decision, pending = pending_entries(round_)
    with click.progressbar(length=len(pending), label=f"Issuing {len(pending)} certificates") as bar:
        state = {"done": 0}

        def progress(done, total):
            bar.update(done - state["done"])
            state["done"] = done

        try:
            issued = issue_round(None, round_, today_vn(), progress=progress)
        except PreconditionFailed as failure:
            raise click.ClickException("; ".join(code for code, _params in failure.problems)) from None
    click.echo(f"{issued} certificates issued for round {round_id}.")


@certificates_cli.command("reissue-compromised")
def reissue_compromised_command():
    """Re-issue, with the current key, every certificate suspended because its key was compromised."""
    from certificates.operations.lifecycle import reissue_compromised

    from certificates.operations.lifecycle import suspended_paper_reissues

    replaced = reissue_compromised(None, today_vn())
    db.session.commit()
    click.echo(f"{len(replaced)} certificates re-issued.")
    paper = suspended_paper_reissues()
    if paper:
        click.echo(f"{len(paper)} re-issued paper certificates stay suspended (their number cannot change): "
                   + ", ".join(c.number for c in paper[:20]) + (" …" if len(paper) > 20 else ""))


@certificates_cli.command("reissue-imported")
@click.option("--numbers-file", type=click.File("r", encoding="utf-8-sig"),
              help="Paper certificate numbers, one per line (blank lines and # comments ignored).")
@click.option("--level", type=click.Choice(["huyen", "xa", "tinh", "khu_vuc", "quoc_gia"]),
              help="Only paper certificates of this level.")
@click.option("--year", type=int, help="Only paper certificates of this year.")
@click.option("--all-valid", is_flag=True, help="Every paper certificate still valid today (with the filters).")
@click.option("--authority", "authority_code", required=True,
              help="Code of the issuing authority that re-issues (e.g. UBND-19, CDMST, BCT).")
@click.option("--actor", "actor_email", help="E-mail of the administrator recorded as actor (default: system).")
@click.option("--dry-run", is_flag=True, help="Print what would happen; write nothing.")
def reissue_imported_command(numbers_file, level, year, all_valid, authority_code, actor_email, dry_run):
    """Re-issue paper certificates imported from Excel with a signed QR, keeping their numbers."""
    from certificates.operations.keys import SignerUnavailable
    from certificates.operations.reissue_imported import Skipped, number_key, reissue_imported, within_authority
    from voting.models import IssuingAuthority, Role, User
    from certificates.models import ImportedCertificate
    from voting.core.text import nfc

    if numbers_file is None and not (level or year or all_valid):
        raise click.UsageError("Choose the paper certificates: --numbers-file and/or --level, --year, --all-valid.")
    authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == authority_code))
    if authority is None:
        raise click.ClickException(f"No issuing authority with code {authority_code!r}.")
    actor = None
    if actor_email:
        actor = db.session.scalar(select(User).where(User.email == nfc(actor_email).lower()))
        if actor is None or actor.role != Role.ADMIN or not actor.active:
            raise click.ClickException(f"{actor_email} is not an active administrator account.")
    today = today_vn()
    query = select(ImportedCertificate).order_by(ImportedCertificate.year, ImportedCertificate.number)
    if level:
        query = query.where(ImportedCertificate.level == level)
    if year:
        query = query.where(ImportedCertificate.year == year)
    if all_valid:
        query = query.where(ImportedCertificate.valid_until > today)
    selected = db.session.scalars(query).all()
    missing = []
    if numbers_file is not None:
        wanted = {}
        for line in numbers_file:
            text = nfc(line.split("#", 1)[0])
            if text:
                wanted.setdefault(number_key(text), text)
        by_key = {}
        for imported in selected:
            by_key.setdefault(number_key(imported.number), []).append(imported)
        for key, found in by_key.items():  # one number, several provinces: the authority's own, if one
            if len(found) > 1 and len(mine := [i for i in found if within_authority(i, authority)]) == 1:
                by_key[key] = mine
        missing = [Skipped(text, "not_found") for key, text in wanted.items() if key not in by_key]
        # Provinces' paper certificates share official numbers ("15/GCN-UBND"): several of one number
        # are listed, never one picked.
        missing += [Skipped(text, "ambiguous", {"count": len(by_key[key]), "which": "; ".join(
            f"{i.authority_name}, {i.year}" for i in by_key[key])})
            for key, text in wanted.items() if len(by_key.get(key, ())) > 1]
        selected = [by_key[key][0] for key in wanted if len(by_key.get(key, ())) == 1]
    try:
        report = reissue_imported(actor, selected, authority, today, dry_run=dry_run, checkpoint=db.session.commit)
    except SignerUnavailable as error:
        raise click.ClickException(f"No usable signing key: {error}.") from None
    except DomainError as error:
        raise click.ClickException(f"{authority_code}: {error.code}.") from None
    verb = "would be re-issued" if dry_run else "re-issued"
    for number in report.reissued:
        click.echo(f"{number}: {verb}")
    for skipped in missing + report.skipped:
        click.echo(f"{skipped.number}: skipped, {skipped.message}")
    click.echo(f"{len(report.reissued)} paper certificates {verb} by {authority.code}; "
               f"{len(report.skipped) + len(missing)} skipped" + (" (dry run: nothing written)." if dry_run else "."))


# verify --------------------------------------------------------------------------------------------

def split_token(token_or_url):
    """``(token, origin)`` from a bare token or a ``https://…/v/<token>`` URL (origin None for a token)."""
    text = token_or_url.strip()
    if "://" not in text:
        return text, None
    parts = urlsplit(text)
    prefix, _, token = parts.path.rpartition("/v/")
    if parts.scheme not in ("http", "https") or not parts.netloc or not token:
        raise click.ClickException(f"{text} is not a verification URL (…/v/<token>).")
    return token, f"{parts.scheme}://{parts.netloc}{prefix}"


def _fetch(url):
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (http/https only)
        return response.read(1024 * 1024)


def load_public_keys(source):
    """kid → PublishedKey from a JWK set file or URL, or a PEM public key file."""
    try:
        if source.startswith(("https://", "http://")):
            data = _fetch(source)
        else:
            data = Path(source).read_bytes()
    except (OSError, urllib.error.URLError) as error:
        raise click.ClickException(f"Cannot read the keys from {source}: "
                                   f"{getattr(error, 'reason', None) or error}") from None
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            public = public_key_b64(public_key_from_pem(data))
            keys = [PublishedKey(kid_for(public), public)]
        else:
            keys = read_jwk_set(json.loads(data))
    except (ValueError, SigningKeyError) as error:
        raise click.ClickException(f"{source} is neither a JWK set nor a PEM public key: {error}") from None
    return {key.kid: key for key in keys}


def _check_offline(token, keys, today):
    """Print what the token states and whether its signature holds; return True when it can be trusted."""
    from certificates.models import KeyStatus

    try:
        claims = verify_token(token, {kid: key.public_key for kid, key in keys.items()})
    except TokenMalformed as error:
        click.echo(f"GIẢ MẠO (forged): not a certificate token ({error}).")
        return False
    except TokenForged as error:
        click.echo(f"GIẢ MẠO (forged): {error.reason}.")
        return False
    click.echo(f"Số / number:          {claims.number}")
    click.echo(f"Ngày cấp / issued:    {claims.issued_on:%d/%m/%Y}")
    click.echo("Hết hạn / expires:    " + (f"{claims.expires_on:%d/%m/%Y}" if claims.expires_on
                                            else "không thời hạn (no expiry)"))
    click.echo(f"Khóa / kid:           {claims.kid} ({keys[claims.kid].status})")
    click.echo("Chữ ký hợp lệ (signature valid).")
    if keys[claims.kid].status == KeyStatus.COMPROMISED:
        click.echo("KHÓA KÝ BỊ LỘ (key compromised): the signature proves nothing; check online.")
        return False
    if claims.expires_on is not None and today > claims.expires_on:
        click.echo(f"HẾT HẠN (expired) since {claims.expires_on:%d/%m/%Y}.")
        return False
    if today < claims.issued_on:
        click.echo("Issued after today: check this computer's date.")
        return False
    return True


def _check_online(token, origin):
    """Print the registry's current status; return it, or None when the registry cannot be reached."""
    url = f"{origin}/api/v1/verify/{quote(token, safe='')}"
    try:
        answer = json.loads(_fetch(url))
        status = answer["status"]
    except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError) as error:
        click.echo(f"Cannot reach the registry at {origin} ({getattr(error, 'reason', error)}): "
                   "offline check only.")
        return None
    click.echo(f"Trạng thái hiện tại / current status ({origin}): {status}")
    certificate = answer.get("certificate") or {}
    if certificate.get("superseded_by"):
        click.echo(f"Thay thế bởi / superseded by: {certificate['superseded_by']}")
    return status


@certificates_cli.command("verify", with_appcontext=False)
@click.argument("token_or_url")
@click.option("--keys", "keys_source", help="The official JWK set (file or URL) or PEM public key file.")
@click.option("--online/--offline", default=None,
              help="Also ask the registry for the current status (default: when its address is known).")
def verify(token_or_url, keys_source, online):
    """Check a certificate token (or its QR URL); exit 1 unless it is signed, in date and valid."""
    token, url_origin = split_token(token_or_url)
    official = _configured_base_url()
    if url_origin and official and url_origin != official:
        click.echo(f"Warning: {url_origin} is not the official address {official}"
                   + ("." if online is False else "; asking the official one."))
    origin = official or url_origin
    if online is False:
        # Offline means no connection at all: the keys come from a file the verifier already has.
        if keys_source is None or keys_source.startswith(("https://", "http://")):
            raise click.ClickException("--offline reads the keys from a file: give --keys with the JWK set "
                                       "(certificates export-keys, or a saved copy of https://<official address>"
                                       f"{KEYS_PATH}) or a PEM public key file.")
    if keys_source is None:
        # Never the scanned URL's own site: a forger's site would vouch for its own tokens.
        if official is None:
            raise click.ClickException("Give --keys: the official JWK set (file, or https://<official address>"
                                       f"{KEYS_PATH}) or a PEM public key file.")
        keys_source = official + KEYS_PATH
    if online and origin is None:
        raise click.ClickException("--online needs a full …/v/<token> URL or PUBLIC_BASE_URL.")
    trusted = _check_offline(token, load_public_keys(keys_source), today_vn())
    if online is not False and origin is not None:
        status = _check_online(token, origin)
        # Unreachable: the offline answer stands, unless the online one was asked for.
        trusted = trusted and (status == PublicStatus.VALID if status is not None else not online)
    sys.exit(0 if trusted else 1)


def _configured_base_url():
    """PUBLIC_BASE_URL when an app can be loaded (its database is never opened), else None."""
    from flask.cli import ScriptInfo

    try:
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    except Exception:  # no app here: a verifier may have only this command, the token and the keys
        return None
    return (app.config.get("PUBLIC_BASE_URL") or "").rstrip("/") or None


@certificates_cli.command("flush-scans")
def flush_scans_command():
    """Write the scans counted so far (in this process, or in Redis when REDIS_URL is set) to the database."""
    from certificates.scans import flush_scans

    written = flush_scans()
    click.echo(f"{written} scan(s) written.")

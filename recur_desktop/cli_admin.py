"""``recur admin ...`` (team database set-up) and ``recur login`` / ``recur logout``.

These commands do not open the recruiter's library, so they run without an AppContext.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from recur_desktop.credentials import (
    DATABASE_PASSWORD,
    LLM_API_KEY,
    S3_SECRET_KEY,
    CredentialError,
    SecretStore,
)
from recur_desktop.persistence.engine import make_engine, masked_url
from recur_desktop.services.errors import InvalidInput
from recur_desktop.services.team import TeamAdmin, policy_json
from recur_desktop.settings import Settings, load_settings, save_settings, without_password

Renderer = Callable[[Any], str]
Handler = Callable[[argparse.Namespace], tuple[Any, Renderer]]


def add_parsers(sub: argparse._SubParsersAction, common: Callable[..., None]) -> None:
    admin = sub.add_parser("admin", help="team database administration (administrators only)")
    common(admin, top=False)
    actions = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text, description=help_text)
        common(p, top=False)
        p.add_argument("--admin-url", default=None, help="defaults to RECUR_DATABASE_URL")
        return p

    action("init", "create roles, schema and row-level security (once)")
    action("upgrade", "upgrade the team database's schema and policies")
    p = action("add-user", "create a recruiter with their own database login")
    p.add_argument("name")
    p.add_argument("--email", default=None)
    secret = p.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin", action="store_true", help="read their password from standard input"
    )
    secret.add_argument("--ask-password", action="store_true", help="ask for their password")
    # Refused with a reason: a password in argv is visible to every user of the machine.
    secret.add_argument("--password", default=None, help=argparse.SUPPRESS)
    p = action("remove-user", "disable a recruiter's login (and erase their data with --erase)")
    p.add_argument("name")
    p.add_argument("--erase", action="store_true", help="delete their resumes, files and history")
    p.add_argument("--yes", action="store_true", help="confirm --erase without asking")
    p = action("s3-policy", "print an IAM policy limiting a recruiter to their own prefix")
    p.add_argument("name")
    p.add_argument("--bucket", default=None, help="defaults to RECUR_S3_BUCKET")

    login = sub.add_parser("login", help="store the database password / S3 secret in the keyring")
    common(login, top=False)
    login.add_argument("--s3", action="store_true", help="store the S3 keys instead")
    login.add_argument("--llm", action="store_true", help="store the LLM endpoint's API key")
    login.add_argument("--s3-access-key-id", default=None)
    login.add_argument(
        "--password-stdin", action="store_true", help="read the secret from standard input"
    )
    logout = sub.add_parser("logout", help="forget the stored database password and S3 secret")
    common(logout, top=False)

    transfer = sub.add_parser(
        "transfer", help="move your local (embedded) library to the team server"
    )
    common(transfer, top=False)
    transfer.add_argument("--to-server", action="store_true", required=True)
    transfer.add_argument(
        "--from-data-dir", type=Path, default=None, help="the local library (default: yours)"
    )


def _admin(args: argparse.Namespace) -> TeamAdmin:
    settings = load_settings()
    url = args.admin_url or settings.database_url
    if not url or not url.startswith("postgresql"):
        raise InvalidInput("Give the team database with --admin-url or RECUR_DATABASE_URL.")
    admin_url = url
    if make_url(url).password is None:
        password = SecretStore(settings.profile).get(DATABASE_PASSWORD)
        if password:
            admin_url = make_url(url).set(password=password).render_as_string(hide_password=False)
    args._admin_where = masked_url(admin_url)
    return TeamAdmin(make_engine(admin_url))


def cmd_admin(args: argparse.Namespace) -> tuple[Any, Renderer]:
    admin = _admin(args)
    command = args.admin_command
    if command in ("init", "upgrade"):
        report = admin.init() if command == "init" else admin.upgrade()
        doc = {
            "database": args._admin_where,
            "schema_revision": report.revision,
            "quarantined": [asdict(q) for q in report.quarantined],
        }

        def render_upgrade(d: dict[str, Any]) -> str:
            lines = [f"Team database ready at revision {d['schema_revision']}."]
            if d["quarantined"]:
                lines.append(
                    f"{len(d['quarantined'])} rows broke the ownership rules and were moved to "
                    "the table quarantined_rows for review:"
                )
                lines += [
                    f"  {q['table_name']} {q['row_id']} (owner {q['user_id']}): {q['reason']}"
                    for q in d["quarantined"]
                ]
            return "\n".join(lines)

        return doc, render_upgrade
    if command == "add-user":
        if args.password is not None:
            raise InvalidInput(
                "Don't put a password on the command line (other users of this machine can "
                "see it); use --password-stdin or --ask-password."
            )
        password = None
        if args.password_stdin or args.ask_password:
            args.password_stdin = bool(args.password_stdin)
            password = _read_secret(args, f"Password for {args.name}: ")
            if not password:
                raise InvalidInput("The password is empty.")
        new = admin.add_user(args.name, email=args.email, password=password)
        doc = {
            "user_id": new.user_id,
            "login_name": new.login_name,
            "db_role": new.db_role,
            # Shown once, to the administrator, only when we generated it.
            "password": new.password if new.generated else None,
        }

        def render(d: dict[str, Any]) -> str:
            lines = [f"Created {d['login_name']} (database login {d['db_role']})."]
            if d["password"]:
                lines.append(f"Password (shown once, give it to them privately): {d['password']}")
            return "\n".join(lines)

        return doc, render
    if command == "remove-user":
        store = None
        if args.erase:
            if not args.yes:
                if not sys.stdin.isatty():
                    raise InvalidInput("Erasing needs --yes when not run interactively.")
                answer = input(f"Erase every resume, file and analysis of {args.name}? [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    raise InvalidInput("Nothing erased.")
            from recur_desktop.app import build_store

            store = build_store(load_settings())
        result = admin.remove_user(args.name, erase=args.erase, store=store)
        doc = {"login_name": args.name, **result}
        return (
            doc,
            lambda d: (
                f"Disabled {d['login_name']}'s login"
                + (
                    f" and erased their data ({d['objects_removed']} files)."
                    if d["erased"]
                    else "."
                )
            ),
        )
    bucket = args.bucket or load_settings().s3_bucket
    if not bucket:
        raise InvalidInput("Give the bucket with --bucket or RECUR_S3_BUCKET.")
    document = admin.s3_policy(args.name, bucket)
    return document, lambda d: policy_json(d)


def _read_secret(args: argparse.Namespace, prompt: str) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("No terminal to ask for the secret; use --password-stdin.")
    return getpass.getpass(prompt)


def cmd_login(args: argparse.Namespace) -> tuple[Any, Renderer]:
    settings = load_settings()
    secrets = SecretStore(settings.profile)
    if not secrets.secure:
        raise CredentialError(
            f"Nothing was stored: {secrets.insecure_reason}. Scripts can pass the secret in "
            "RECUR_DATABASE_PASSWORD or RECUR_S3_SECRET_ACCESS_KEY instead."
        )
    if args.llm:
        secrets.set(LLM_API_KEY, _read_secret(args, "LLM API key: "))
        doc = {"stored": "llm-api-key", "where": "keyring"}
    elif args.s3:
        key_id = args.s3_access_key_id or settings.s3_access_key_id
        if not key_id:
            raise InvalidInput("Give the S3 access key id with --s3-access-key-id.")
        secret = _read_secret(args, "S3 secret access key: ")
        secrets.set(S3_SECRET_KEY, secret)
        save_settings(replace(settings, s3_access_key_id=key_id))
        doc = {"stored": "s3-secret-access-key", "where": "keyring"}
    else:
        if settings.database_url:
            url, embedded_password = without_password(settings.database_url)
            if embedded_password is not None:
                raise InvalidInput(
                    "Remove the password from the database address; `recur login` stores it."
                )
        secret = _read_secret(args, "Database password: ")
        secrets.set(DATABASE_PASSWORD, secret)
        doc = {"stored": "database-password", "where": "keyring"}
    return doc, lambda d: "Stored in the system keyring."


def cmd_logout(args: argparse.Namespace) -> tuple[Any, Renderer]:
    secrets = SecretStore(load_settings().profile)
    removed = [
        name for name in (DATABASE_PASSWORD, S3_SECRET_KEY, LLM_API_KEY) if secrets.delete(name)
    ]
    return {
        "removed": removed
    }, lambda d: f"Forgot {', '.join(d['removed'])}." if d["removed"] else "Nothing was stored."


def cmd_transfer(args: argparse.Namespace) -> tuple[Any, Renderer]:
    from recur_desktop.app import build_context
    from recur_desktop.services.transfer import Library, transfer_library

    target_settings = load_settings()
    if target_settings.profile != "server" or not target_settings.s3_bucket:
        raise InvalidInput(
            "Configure the team server first (RECUR_DATABASE_URL and RECUR_S3_BUCKET, or the "
            "Settings dialog), then run the transfer."
        )
    source_settings = Settings(
        data_dir=args.from_data_dir or target_settings.data_dir, user=target_settings.user
    )
    if not (source_settings.data_dir / "library.sqlite3").exists():
        raise InvalidInput(f"No local library found in {source_settings.data_dir}.")
    source = build_context(source_settings)
    try:
        target = build_context(target_settings)
        try:
            report = transfer_library(
                Library(source.uow, source.store, source.owner_id),
                Library(target.uow, target.store, target.owner_id),
            )
        finally:
            target.close()
    finally:
        source.close()
    doc = asdict(report)
    return (
        doc,
        lambda d: (
            f"Transferred {d['resumes']} resumes ({d['merged']} already on the server), "
            f"{d['jobs']} jobs, {d['sessions']} sessions and {d['analyses']} analyses; "
            f"{d['skipped']} were already there." + "".join(f"\n  {p}" for p in d["problems"])
        ),
    )


STANDALONE: dict[str, Handler] = {
    "transfer": cmd_transfer,
    "admin": cmd_admin,
    "login": cmd_login,
    "logout": cmd_logout,
}

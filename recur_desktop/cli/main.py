"""``recur``: the headless command line over the same services the desktop window uses.

Contract: ``--json`` (before or after the subcommand) prints exactly one JSON document on
stdout. Exit 0 when the command did its job, 2 for usage errors, 1 for anything else with one
clear line on stderr (a traceback only with ``--debug``).

What reaches the terminal is safe to show: every readable line passes through
:func:`recur_desktop.text_safety.visible` (a file name's ESC sequence, newline or bidi override
prints as ``\\x1b``, ``\\n``, ``\\u202e``), and every error line and traceback through
:func:`recur_desktop.logs.mask` (no password in any form). ``--json`` keeps the exact strings;
JSON escapes the control characters, and the output escapes format characters as ``\\uXXXX``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from recur_desktop.cli.analysis_cmds import (
    _cmd_analyze,
    _cmd_available,
    _cmd_export,
    _cmd_history,
    _cmd_jobs,
    _cmd_migrate_legacy,
    _cmd_results,
    _cmd_sessions,
    _render_results,
)
from recur_desktop.cli.common import (
    CommandFailed,
    Handler,
    Renderer,
    UsageError,
    log,
    resolve_ids,
)
from recur_desktop.cli.library_cmds import (
    _cmd_audit,
    _cmd_delete,
    _cmd_doctor,
    _cmd_erase,
    _cmd_import,
    _cmd_purge,
    _cmd_restore,
    _cmd_resumes,
    _cmd_trash,
)
from recur_desktop.cli.output import (
    json_text,
    shown,
    visible_lines,
)
from recur_desktop.cli.parser import (
    build_parser,
)
from recur_desktop.cli.watch_cmds import _cmd_watch
from recur_desktop.credentials import CredentialError
from recur_desktop.logs import SecretFilter, mask
from recur_desktop.services import ServiceError
from recur_desktop.services.ids import AmbiguousId
from recur_desktop.settings import SettingsError
from recur_desktop.storage import StorageError
from recur_desktop.text_safety import visible

COMMANDS: dict[str, Handler] = {
    "import": _cmd_import,
    "resumes": _cmd_resumes,
    "jobs": _cmd_jobs,
    "available": _cmd_available,
    "analyze": _cmd_analyze,
    "sessions": _cmd_sessions,
    "results": _cmd_results,
    "export": _cmd_export,
    "history": _cmd_history,
    "delete": _cmd_delete,
    "restore": _cmd_restore,
    "trash": _cmd_trash,
    "purge": _cmd_purge,
    "erase": _cmd_erase,
    "audit": _cmd_audit,
    "doctor": _cmd_doctor,
    "migrate-legacy": _cmd_migrate_legacy,
    "watch": _cmd_watch,
}


def _emit(document: Any, render: Renderer, as_json: bool) -> None:
    """The one way a command's document reaches stdout (every command, the admin and legacy
    ones included): exact JSON, or the readable rendering of its escaped strings."""
    text = json_text(document) if as_json else visible_lines(render(shown(document)))
    sys.stdout.write(text + "\n")


def _error_doc(message: str) -> dict[str, str]:
    return {"error": mask(message)}


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Only when nothing set logging up (``recur_desktop.app.main`` does, with secrets masked):
    # this stderr handler masks them too.
    console = logging.StreamHandler(sys.stderr)
    console.addFilter(SecretFilter())
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=[console],
    )
    if not args.command:
        parser.print_help()
        return 0
    from recur_desktop import selftest
    from recur_desktop.app import build_context
    from recur_desktop.cli_admin import STANDALONE as ADMIN

    standalone = {**ADMIN, **selftest.STANDALONE}

    ctx = None
    try:
        if args.command in standalone:
            document, render = standalone[args.command](args)
        else:
            ctx = build_context()
            resolve_ids(ctx, args)
            document, render = COMMANDS[args.command](ctx, args)
        _emit(document, render, args.json)
        return 0
    except AmbiguousId as exc:  # a usage error: the user picks one of the matches
        if args.json:
            matches = [{"id": m.id, "label": m.label} for m in exc.matches]
            _emit({**_error_doc(exc.headline), "matches": matches}, str, True)
        code = _fail(exc.headline, args, code=2)
        for match in exc.matches:  # one per line, to copy the one meant
            sys.stderr.write(f"  {match.id}  {visible(match.label)}\n")
        return code
    except UsageError as exc:
        if args.json:
            _emit(_error_doc(str(exc)), str, True)
        return _fail(str(exc), args, code=2)
    except CommandFailed as exc:
        _emit(exc.document, getattr(exc, "render", _render_results), args.json)
        return _fail(str(exc), args)
    except (ServiceError, SettingsError, StorageError, CredentialError) as exc:
        # A database that stopped answering is a ServiceError too (DatabaseUnavailable):
        # persistence translated the driver's error, whose words are in ``detail``.
        log.debug("%s: %s", exc.__class__.__name__, getattr(exc, "detail", ""))
        if args.json:
            _emit(_error_doc(str(exc)), str, True)
        return _fail(str(exc), args)
    except KeyboardInterrupt:
        return _fail("Stopped.", args, code=130)
    except Exception as exc:  # the last line of defence: one clear line, details on request
        message = (
            f"Unexpected error ({exc.__class__.__name__}); run again with --debug for details."
        )
        if args.json:
            _emit(_error_doc(message), str, True)
        return _fail(message, args)
    finally:
        if ctx is not None:
            ctx.close()


def _fail(message: str, args: argparse.Namespace, *, code: int = 1) -> int:
    """One line on stderr (and the traceback with ``--debug``), passwords masked and control
    characters escaped: an error may quote an address or a file name."""
    if args.debug:
        import traceback

        sys.stderr.write(visible_lines(mask(traceback.format_exc())))
    sys.stderr.write(f"recur: {visible(mask(message))}\n")
    return code

"""``recur`` and ``python -m recur_desktop``: choose the window or the command line.

The entry point lives here, not in ``app.py``: the composition root only builds the context, so
the CLI and the window can import it without importing each other back through it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """``recur`` / ``python -m recur_desktop``: the window without arguments, else the CLI."""
    import sys

    from recur_desktop.logs import setup_logging

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] == "gui":
        setup_logging(logging.INFO, console=True)
        from recur_desktop.ui.main import run_gui  # Qt loads only when the window is wanted

        return run_gui(args[1:])
    debug = "--debug" in args
    # The CLI's own stderr lines stay as they were (warnings; everything with --debug).
    setup_logging(
        logging.DEBUG if debug else logging.INFO,
        console=True,
        console_level=logging.DEBUG if debug else logging.WARNING,
    )
    from recur_desktop.cli import run

    try:
        return run(args)
    except BrokenPipeError:
        # `recur resumes | head`: the reader left. Say nothing more (Python would otherwise
        # print a traceback while flushing stdout at exit), like other command-line tools.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a closed pipe


if __name__ == "__main__":
    raise SystemExit(main())

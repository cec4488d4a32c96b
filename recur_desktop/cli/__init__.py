"""``recur``: the headless command line over the same services the desktop window uses.

``main`` holds the contract (exit codes, ``--json``, escaping); ``parser`` the options;
``library_cmds`` and ``analysis_cmds`` the commands; ``output`` the documents and tables;
``common`` what they all share.
"""

from recur_desktop.cli.common import CommandFailed, IdRef, UsageError
from recur_desktop.cli.main import run
from recur_desktop.cli.output import table
from recur_desktop.cli.parser import build_parser

__all__ = ["CommandFailed", "IdRef", "UsageError", "build_parser", "run", "table"]

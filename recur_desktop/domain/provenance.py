"""Which analyzer scored a result, in a recruiter's words (pure text rules: the window's
view-models and the command line use them without importing the analyzers).

The command line and the window both say it with :func:`describe_analyzer`, so that a score
read in a terminal and the same score read in the History pane name their source alike. The
stored names (``builtin-evidence``, ``llm-chat``...) stay the machine-readable record.
"""

from __future__ import annotations

from collections.abc import Iterable

# The stored names of the analyzers (``EvidenceAnalyzer.name``...): the domain imports no
# analyzer, so they are repeated here, and tests/unit/test_domain_provenance.py pins them equal.
EVIDENCE_NAME = "builtin-evidence"
KEYWORD_NAME = "keyword-overlap"
LLM_NAME = "llm-chat"
#: The analyzer name ``services.legacy`` stores on migrated results.
LEGACY_NAME = "legacy"

_PLAIN_NAMES = {
    EVIDENCE_NAME: "Built-in analyzer",
    KEYWORD_NAME: "Keyword analyzer",
    LEGACY_NAME: "Old app's analyzer",
}


def _version(version: str) -> str:
    version = version.strip()
    if not version:
        return ""
    return version if version[:1] in "vV" else f"v{version}"


def analyzer_label(name: str, version: str) -> str:
    """``Built-in analyzer v2``, ``LLM analyzer (model gpt-x, prompt v1)``; an unknown analyzer
    keeps its stored name."""
    name, version = name.strip(), version.strip()
    if name == LLM_NAME:
        prompt, colon, model = version.partition(":")
        if colon and model:
            return f"LLM analyzer (model {model}, prompt {_version(prompt)})"
        return f"LLM analyzer {_version(version)}".rstrip()
    plain = _PLAIN_NAMES.get(name, name or "Unknown analyzer")
    return f"{plain} {_version(version)}".rstrip()


def describe_analyzer(name: str, version: str, fallback_reason: str | None = None) -> str:
    """The analyzer that produced a result and, for a fallback, why it was used:
    ``Built-in analyzer v2, used because the LLM endpoint timed out``. No final full stop, so
    callers can put it in a sentence or a table cell."""
    label = analyzer_label(name, version)
    reason = (fallback_reason or "").strip().rstrip(".").strip()
    return f"{label}, used because {reason}" if reason else label


def split_analyzer(stored: str) -> tuple[str, str]:
    """(name, version) from the ``"name version"`` form records carry (names have no spaces)."""
    name, _, version = stored.strip().partition(" ")
    return name, version


def describe_analyzers(stored: Iterable[str]) -> str:
    """A session's analyzers (``SessionRecord.analyzers``) in words: ``LLM analyzer (model m,
    prompt v1) and Built-in analyzer v2``."""
    labels = list(dict.fromkeys(analyzer_label(*split_analyzer(s)) for s in stored))
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"

"""The one sentence the CLI and the window use to say which analyzer produced a score."""

from __future__ import annotations

import pytest

from recur_desktop.analysis import describe_analyzer, describe_analyzers, split_analyzer
from recur_desktop.services.analysis import plain_session_name


@pytest.mark.parametrize(
    ("name", "version", "reason", "words"),
    [
        ("builtin-evidence", "2", None, "Built-in analyzer v2"),
        (
            "builtin-evidence",
            "2",
            "the LLM endpoint timed out (no answer within 30 s)",
            "Built-in analyzer v2, used because the LLM endpoint timed out (no answer within 30 s)",
        ),
        (
            "builtin-evidence",
            "2",
            "  the budget is spent.  ",
            "Built-in analyzer v2, used because the budget is spent",
        ),
        ("builtin-evidence", "2", "", "Built-in analyzer v2"),
        ("llm-chat", "1:gpt-4o-mini", None, "LLM analyzer (model gpt-4o-mini, prompt v1)"),
        ("llm-chat", "1:org/model:7b", None, "LLM analyzer (model org/model:7b, prompt v1)"),
        ("keyword-overlap", "1", None, "Keyword analyzer v1"),
        ("legacy", "1", None, "Old app's analyzer v1"),
        ("someone-elses", "v3", None, "someone-elses v3"),
        ("someone-elses", "", None, "someone-elses"),
    ],
)
def test_an_analyzer_in_words(name, version, reason, words):
    assert describe_analyzer(name, version, reason) == words


def test_a_session_s_analyzers_in_words_first_used_first():
    stored = ["llm-chat 1:m", "builtin-evidence 2"]
    assert split_analyzer(stored[0]) == ("llm-chat", "1:m")
    assert (
        describe_analyzers(stored) == "LLM analyzer (model m, prompt v1) and Built-in analyzer v2"
    )
    assert describe_analyzers(["builtin-evidence 2"]) == "Built-in analyzer v2"
    assert describe_analyzers(["a 1", "b 2", "c 3"]) == "a v1, b v2 and c v3"
    assert describe_analyzers([]) == ""


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Backend analysis 2026-01-15 09:30", "Backend analysis"),
        ("General analysis 2026-01-15 09:30", "General analysis"),
        ("Q3 shortlist", "Q3 shortlist"),
        ("Shortlist 2026-01-15 09:30", "Shortlist 2026-01-15 09:30"),  # typed: kept
    ],
)
def test_a_default_session_name_loses_only_its_stamp(name, plain):
    assert plain_session_name(name) == plain

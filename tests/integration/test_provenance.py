"""Every score names the analyzer that produced it, and a fallback says why.

The LLM endpoint is a real HTTP server on 127.0.0.1 (the scripted stand-in of
``tests/unit/test_analysis_llm.py``), so the whole path runs: urllib, the retries, the fallback,
the row written on SQLite and on Postgres, and what the CLI reads back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recur_desktop.analysis import EvidenceAnalyzer, LLMAnalyzer, LLMConfig, describe_analyzer
from recur_desktop.app import AppContext, build_context
from recur_desktop.cli import run
from recur_desktop.domain import ResultStatus
from recur_desktop.persistence.engine import session_factory
from recur_desktop.persistence.tables import ResumeAnalysisRow
from recur_desktop.settings import Settings
from tests import samples
from tests.integration.test_cli import settings_env
from tests.unit.test_analysis_llm import Endpoint

BUILTIN = f"{EvidenceAnalyzer.name} {EvidenceAnalyzer.version}"
LLM = "llm-chat 1:test-model"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.close()


def llm_context(settings: Settings, endpoint: Endpoint, **config: float) -> AppContext:
    analyzer = LLMAnalyzer(
        LLMConfig(
            base_url=endpoint.url,
            model="test-model",
            **{"timeout": 5.0, "attempts": 2, "backoff": 0.0, **config},
        ),
        api_key=lambda: None,
        sleep=lambda seconds: None,
    )
    return build_context(settings, analyzer=analyzer)


def add_resume(ctx: AppContext, folder: Path, name: str, skills: list[str]):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.replace(' ', '_')}.txt"
    path.write_bytes(samples.make_text(samples.sample_resume_text(name, skills)))
    return ctx.library.import_paths([path]).added[0].resume


def stored_rows(ctx: AppContext) -> list[ResumeAnalysisRow]:
    with session_factory(ctx.engine)() as session:
        return list(session.scalars(select(ResumeAnalysisRow)))


def test_a_failing_endpoint_stores_the_builtin_analyzer_and_the_reason(
    settings, endpoint, tmp_path
):
    endpoint.script = ["500"]
    ctx = llm_context(settings, endpoint)
    try:
        resume = add_resume(ctx, tmp_path, "Ada Lovelace", ["Python", "Docker"])
        job = ctx.jobs.create(title="Backend", required_skills=["Python"])
        run_ = ctx.analysis.analyze(job.id)
        [outcome] = run_.outcomes
        assert outcome.status == ResultStatus.OK
        assert (outcome.analyzer_name, outcome.analyzer_version) == ("builtin-evidence", "2")
        assert outcome.analyzer == BUILTIN
        assert outcome.fallback_reason == "the LLM endpoint failed 2 times (HTTP 500)"
        # The row itself, as another reader (export, doctor, a later version) finds it.
        [row] = stored_rows(ctx)
        assert (row.analyzer_name, row.analyzer_version) == ("builtin-evidence", "2")
        assert row.fallback_reason == "the LLM endpoint failed 2 times (HTTP 500)"
        # The session keeps naming what it asked for, and lists what actually scored.
        assert run_.session.analyzer == LLM
        assert run_.session.analyzers == (BUILTIN,)
        session, [read] = ctx.analysis.results(run_.session.id)
        assert session.analyzers == (BUILTIN,)
        assert (read.analyzer_name, read.fallback_reason) == (
            "builtin-evidence",
            outcome.fallback_reason,
        )
        assert read.result is not None and read.result.fallback_reason == outcome.fallback_reason
        _, [item] = ctx.analysis.history(resume.id)
        assert (item.analyzer_name, item.analyzer_version) == ("builtin-evidence", "2")
        assert item.fallback_reason == outcome.fallback_reason
    finally:
        ctx.close()


def test_a_timed_out_endpoint_says_so_in_words(embedded_settings, endpoint, tmp_path):
    endpoint.script = ["slow"]
    ctx = llm_context(embedded_settings, endpoint, timeout=0.2, attempts=1)
    try:
        add_resume(ctx, tmp_path, "Ada Lovelace", ["Python", "Docker"])
        [outcome] = ctx.analysis.analyze(None).outcomes
        assert outcome.fallback_reason == "the LLM endpoint timed out (no answer within 0.2 s)"
        assert describe_analyzer(
            outcome.analyzer_name, outcome.analyzer_version, outcome.fallback_reason
        ) == (
            "Built-in analyzer v2, used because the LLM endpoint timed out (no answer within 0.2 s)"
        )
    finally:
        ctx.close()


def test_a_working_endpoint_stores_the_llm_analyzer_and_no_reason(settings, endpoint, tmp_path):
    ctx = llm_context(settings, endpoint)
    try:
        resume = add_resume(ctx, tmp_path, "Ada Lovelace", ["Python", "Kubernetes"])
        run_ = ctx.analysis.analyze(None)
        [outcome] = run_.outcomes
        assert outcome.result is not None and outcome.result.summary.startswith("Good match")
        assert (outcome.analyzer_name, outcome.analyzer_version) == ("llm-chat", "1:test-model")
        assert outcome.fallback_reason is None
        [row] = stored_rows(ctx)
        assert (row.analyzer_name, row.fallback_reason) == ("llm-chat", None)
        assert run_.session.analyzers == (LLM,)
        _, [item] = ctx.analysis.history(resume.id)
        assert item.fallback_reason is None
        assert describe_analyzer(item.analyzer_name, item.analyzer_version, None) == (
            "LLM analyzer (model test-model, prompt v1)"
        )
    finally:
        ctx.close()


def test_a_session_lists_both_analyzers_when_some_resumes_fell_back(settings, endpoint, tmp_path):
    endpoint.script = ["ok", "401"]  # the first resume is scored by the model, then refused
    ctx = llm_context(settings, endpoint)
    try:
        add_resume(ctx, tmp_path, "Ada Lovelace", ["Python", "Docker"])
        add_resume(ctx, tmp_path, "Grace Hopper", ["COBOL", "Python"])
        run_ = ctx.analysis.analyze(None)
        by = sorted((o.analyzer_name, o.fallback_reason) for o in run_.outcomes)
        assert by == [
            ("builtin-evidence", "the LLM endpoint refused the request (HTTP 401)"),
            ("llm-chat", None),
        ]
        assert run_.session.analyzers == (LLM, BUILTIN)  # first used first
        [listed] = ctx.analysis.sessions(general=True)
        assert listed.analyzers == (LLM, BUILTIN)
    finally:
        ctx.close()


def test_a_result_that_could_not_be_scored_says_why_and_has_no_scores(
    embedded_settings, endpoint, tmp_path
):
    endpoint.script = ["500"]
    ctx = llm_context(embedded_settings, endpoint)
    try:
        path = tmp_path / "short.txt"
        path.write_bytes(b"Ann Bee\nPython\n")
        # Past the resume gate (too short for it): this test is about the analysis of it.
        ctx.library.import_paths([path], accept_any=True)
        [outcome] = ctx.analysis.analyze(None).outcomes
        assert outcome.status == ResultStatus.FAILED and outcome.result is None
        assert "too little readable text" in (outcome.error or "")
        assert outcome.fallback_reason is None  # nothing fell back: nothing was scored
        [row] = stored_rows(ctx)
        assert row.overall_fit_score is None and row.skill_match_score is None
        assert endpoint.requests == []  # the model never saw an unreadable resume
    finally:
        ctx.close()


# ------------------------------------------------------------------ the command line
@pytest.fixture
def cli(embedded_settings, endpoint, monkeypatch, capsys):
    env = {
        **settings_env(embedded_settings),
        "RECUR_LLM_BASE_URL": endpoint.url,
        "RECUR_LLM_MODEL": "test-model",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def invoke(*argv: str) -> str:
        code = run(list(argv))
        out, err = capsys.readouterr()
        assert code == 0, f"exit {code}, stderr: {err}"
        return out

    return invoke


def test_cli_results_history_and_sessions_carry_the_analyzer(cli, endpoint, tmp_path):
    import json

    endpoint.script = ["ok", "401"]
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, skills in (("Ada Lovelace", ["Python"]), ("Grace Hopper", ["COBOL", "Python"])):
        text = samples.sample_resume_text(name, skills)
        (folder / f"{name.split()[0].lower()}.txt").write_bytes(samples.make_text(text))
    imported = json.loads(cli("import", str(folder), "--json"))
    ids = {a["file_name"]: a["id"] for a in imported["added"]}
    session_id = json.loads(cli("analyze", "--general", "--json"))["session_id"]

    results = json.loads(cli("results", session_id, "--json"))
    by_analyzer = {r["analyzer_name"]: r for r in results["results"]}
    llm, builtin = by_analyzer["llm-chat"], by_analyzer["builtin-evidence"]
    assert (llm["analyzer_version"], llm["fallback_reason"]) == ("1:test-model", None)
    assert llm["analyzer"] == LLM
    assert builtin["analyzer_version"] == "2"
    reason = "the LLM endpoint refused the request (HTTP 401)"
    assert builtin["fallback_reason"] == reason
    assert builtin["scored_by"] == f"Built-in analyzer v2, used because {reason}"
    assert results["session"]["analyzers"] == [LLM, BUILTIN]

    text = cli("results", session_id)
    assert "Scored by:" in text
    assert "LLM analyzer (model test-model, prompt v1) (1 result)" in text
    assert f"Built-in analyzer v2, used because {reason} (1 result: " in text

    fell_back = builtin["resume_id"]
    history = json.loads(cli("history", fell_back, "--json"))
    [item] = history["items"]
    assert (item["analyzer_name"], item["analyzer_version"]) == ("builtin-evidence", "2")
    assert item["fallback_reason"] == reason
    assert f"  Built-in analyzer v2, used because {reason} (1 analysis: " in cli(
        "history", fell_back
    )
    other = next(i for i in ids.values() if i != fell_back)
    [scored] = json.loads(cli("history", other, "--json"))["items"]
    assert (scored["analyzer_name"], scored["fallback_reason"]) == ("llm-chat", None)

    [listed] = json.loads(cli("sessions", "--json"))["items"]
    assert listed["analyzers"] == [LLM, BUILTIN]
    both = "LLM analyzer (model test-model, prompt v1) and Built-in analyzer v2"
    assert f"Scored by:\n  {both} (1 session: {session_id})" in cli("sessions")

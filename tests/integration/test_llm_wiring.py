"""The optional LLM analyzer is chosen by settings, and falls back honestly when unusable."""

from __future__ import annotations

from dataclasses import replace

from recur_desktop.app import build_context
from recur_desktop.domain import ResultStatus
from tests import samples


def test_configured_llm_without_a_key_falls_back_and_says_so(embedded_settings, tmp_path):
    settings = replace(
        embedded_settings, llm_base_url="http://127.0.0.1:9/v1", llm_model="tiny-test"
    )
    ctx = build_context(settings)
    try:
        assert ctx.analyzer.name == "llm-chat"
        path = tmp_path / "a.txt"
        path.write_bytes(samples.make_text(samples.sample_resume_text("Ann Bee", ["Python"])))
        ctx.library.import_paths([path])
        job = ctx.jobs.create(title="Dev", required_skills=["Python"])
        run = ctx.analysis.analyze(job.id)
        [outcome] = run.outcomes
        assert outcome.status == ResultStatus.OK
        assert "built-in analyzer" in outcome.result.summary
        assert run.session.analyzer.startswith("llm-chat")
    finally:
        ctx.close()


def test_without_llm_settings_the_builtin_analyzer_is_used(embedded_settings):
    ctx = build_context(embedded_settings)
    try:
        assert ctx.analyzer.name.startswith("builtin")
    finally:
        ctx.close()

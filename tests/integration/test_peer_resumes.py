"""Documents nobody on this team wrote: real-world LaTeX PDFs from another project."""

from __future__ import annotations

from pathlib import Path

import pytest

from recur_desktop.domain import ResultStatus

PEER = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "peer-resumes"

pytestmark = pytest.mark.skipif(not PEER.is_dir(), reason=f"peer resumes not available at {PEER}")


def test_peer_resumes_import_and_analyse(embedded_settings):
    from recur_desktop.app import build_context

    ctx = build_context(embedded_settings)
    try:
        resumes = sorted(p for p in PEER.glob("*.pdf") if not p.name.startswith("job_desc"))
        report = ctx.library.import_paths(resumes)
        assert report.rejected == []
        assert len(report.added) == len(resumes) >= 5
        assert all(a.resume.candidate_email for a in report.added)
        job = ctx.jobs.create(
            title="Full Stack Engineer", required_skills=["JavaScript", "React", "Node.js"]
        )
        run = ctx.analysis.analyze(job.id)
        assert {o.status for o in run.outcomes} == {ResultStatus.OK}
        best = max(run.outcomes, key=lambda o: o.result.overall_fit_score)
        assert "fullstack" in ctx.library.get(best.resume_id).file_name or (
            "fe" in ctx.library.get(best.resume_id).file_name
        )
    finally:
        ctx.close()

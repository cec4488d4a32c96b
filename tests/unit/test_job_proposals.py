"""The job dialog and ``recur jobs add`` read a pasted description through one service call."""

from __future__ import annotations

import uuid

from recur_desktop.analysis import propose_job_requirements
from recur_desktop.services.jobs import JobService

DESCRIPTION = """We need a backend engineer.
Requirements: Python, PostgreSQL and Docker.
Five years of experience in Python.
Nice to have: Kubernetes, Go."""


def jobs() -> JobService:
    return JobService(None, uuid.uuid4())  # type: ignore[arg-type]  # proposals open no session


def test_the_dialog_s_proposal_reads_the_description_alone():
    proposal = jobs().propose_requirements(DESCRIPTION)
    assert proposal == propose_job_requirements(DESCRIPTION)
    assert "Python" in proposal.required and "Kubernetes" in proposal.preferred
    assert proposal.min_years == 5.0


def test_the_command_line_s_proposal_reads_the_title_first():
    proposal = jobs().propose_requirements(DESCRIPTION, title="Go developer")
    assert proposal == propose_job_requirements(f"Go developer\n{DESCRIPTION}")

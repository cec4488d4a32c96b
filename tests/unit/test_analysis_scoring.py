"""The built-in analyzer end to end: scores, anti-stuffing, evidence, general analysis."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from recur_desktop.analysis import (
    AnalysisError,
    EvidenceAnalyzer,
    SkillCoverageAnalyzer,
    propose_job_requirements,
)
from recur_desktop.analysis.scoring import WEIGHTS
from recur_desktop.domain import JobPosting

TODAY = date(2026, 1, 15)


def job(
    required: list[str],
    preferred: list[str] | None = None,
    *,
    title: str = "Platform Engineer",
    description: str = "",
    min_years: float | None = None,
) -> JobPosting:
    return JobPosting(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        title=title,
        company="Acme",
        description=description,
        required_skills=tuple(required),
        preferred_skills=tuple(preferred or ()),
        min_years=min_years,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@pytest.fixture(scope="module")
def analyzer() -> EvidenceAnalyzer:
    return EvidenceAnalyzer(today=TODAY)


GENUINE = """\
Sam Doe
Platform Engineer

Summary
Platform engineer who likes calm on-call weeks.

Skills
Kubernetes, Terraform, AWS, Python, Linux

Experience
Platform Engineer, Acme, Berlin, Jan 2019 - Present
- Runs Kubernetes clusters on AWS, provisioned with Terraform.
- Writes Python tools; all hosts run Linux.

Systems Engineer, Globex, Hamburg, 2015 - 2018
- Linux administration and Python automation.

Education
B.Sc. Computer Science, 2011 - 2015
"""

STUFFED = """\
Sam Doe
Platform Engineer

Skills
Kubernetes, Terraform, AWS, Python, Linux, Kubernetes, Terraform, AWS, Python, Linux

Experience
Shift Supervisor, Corner Cafe, Berlin, Jan 2019 - Present
- Runs the morning shift and trains new baristas.

Barista, Corner Cafe, Berlin, 2015 - 2018
- Made coffee.
"""


def test_the_app_name_still_builds_the_builtin_analyzer():
    assert SkillCoverageAnalyzer is EvidenceAnalyzer
    built = SkillCoverageAnalyzer()
    assert built.name == "builtin-evidence" and built.version == "2"


def test_a_genuine_match_scores_high_with_cited_evidence(analyzer):
    result = analyzer.analyze(GENUINE, job(["Kubernetes", "Terraform", "AWS"], ["Python"]))
    assert result.skill_match_score == 100.0
    assert result.overall_fit_score >= 85
    assert result.matched_skills == ("Kubernetes", "Terraform", "AWS", "Python")
    assert result.missing_skills == ()
    assert "Kubernetes \u2014 Platform Engineer at Acme, 2019\u2013present" in result.reasoning
    assert (
        "Python \u2014 Platform Engineer at Acme, 2019\u2013present; Systems Engineer at Globex"
        in (result.reasoning)
    )
    assert "3 of 3 required skills found, 3 used in dated roles" in result.summary


def test_pasting_the_job_skill_list_scores_clearly_below_a_genuine_match(analyzer):
    posting = job(["Kubernetes", "Terraform", "AWS", "Linux"], ["Python"], min_years=5)
    genuine = analyzer.analyze(GENUINE, posting)
    stuffed = analyzer.analyze(STUFFED, posting)
    assert set(stuffed.matched_skills) == set(genuine.matched_skills)  # both name every skill
    assert stuffed.skill_match_score <= WEIGHTS.evidence["list"] * 100
    assert stuffed.overall_fit_score < 0.6 * genuine.overall_fit_score
    assert "Listed but not shown in any dated role" in stuffed.reasoning


def test_repeating_a_skill_adds_nothing(analyzer):
    posting = job(["Kubernetes"])
    once = analyzer.analyze(STUFFED.replace(", Kubernetes, Terraform", ", Terraform"), posting)
    twice = analyzer.analyze(STUFFED, posting)
    assert once.skill_match_score == twice.skill_match_score


def test_copying_the_job_description_is_penalised(analyzer):
    description = (
        "We run Kubernetes on AWS and manage every environment with Terraform. You will own "
        "the deployment pipeline, keep our Linux fleet patched, write Python automation and "
        "be on call one week in six for the platform that serves our customers worldwide."
    )
    posting = job(["Kubernetes", "Terraform"], description=description)
    plain = analyzer.breakdown(GENUINE, posting)
    copied = analyzer.breakdown(GENUINE + "\nAbout me\n" + description + "\n", posting)
    assert copied.copied_share >= WEIGHTS.copy_share
    assert copied.overall < plain.overall * 0.7
    assert "word for word" in analyzer.analyze(GENUINE + "\n" + description, posting).reasoning


def test_required_skills_weigh_more_than_preferred(analyzer):
    has_required = analyzer.analyze(GENUINE, job(["Kubernetes"], ["Rust"]))
    has_preferred = analyzer.analyze(GENUINE, job(["Rust"], ["Kubernetes"]))
    assert has_required.skill_match_score > has_preferred.skill_match_score


def test_a_related_skill_earns_partial_credit(analyzer):
    mysql = GENUINE.replace("Writes Python tools", "Runs MySQL and writes Python tools")
    with_relative = analyzer.analyze(mysql, job(["PostgreSQL"]))
    without = analyzer.analyze(GENUINE, job(["PostgreSQL"]))
    assert 0 < with_relative.skill_match_score < 50
    assert without.skill_match_score == 0
    assert with_relative.missing_skills == ("PostgreSQL",)
    assert "partial credit for the related MySQL" in with_relative.reasoning


def test_recent_use_counts_more_than_old_use(analyzer):
    posting = job(["Python"])
    recent = analyzer.breakdown(GENUINE, posting)
    old = GENUINE.replace("Writes Python tools", "Writes tools").replace(
        "2015 - 2018", "2005 - 2008"
    )
    assert analyzer.breakdown(old, posting).recency < recent.recency


def test_years_below_the_minimum_lower_the_overall_score(analyzer):
    junior = analyzer.analyze(GENUINE, job(["Kubernetes"], min_years=30))
    enough = analyzer.analyze(GENUINE, job(["Kubernetes"], min_years=5))
    assert junior.overall_fit_score < enough.overall_fit_score
    assert "the job asks for 30+ years" in junior.reasoning


def test_the_existing_integration_expectations_hold(analyzer):
    from tests.samples import sample_resume_text

    ada = sample_resume_text("Ada Lovelace", ["Python", "PostgreSQL", "Docker"])
    grace = sample_resume_text("Grace Hopper", ["COBOL", "Fortran"])
    posting = job(["Python", "Docker"], ["Git"])
    assert set(analyzer.analyze(ada, posting).matched_skills) == {"Python", "Docker"}
    assert set(analyzer.analyze(grace, posting).missing_skills) == {"Python", "Docker", "Git"}
    two = sample_resume_text("Ada Lovelace", ["Python", "PostgreSQL"])
    result = analyzer.analyze(two, job(["Python", "PostgreSQL"], ["Docker"], min_years=3))
    assert result.missing_skills == ("Docker",)


def test_a_job_without_skills_is_refused(analyzer):
    with pytest.raises(AnalysisError, match="lists no skills"):
        analyzer.check_job(job([], title="Mystery role", description="Great team, free snacks."))


def test_a_job_with_only_a_description_uses_skills_read_from_it(analyzer):
    posting = job([], description="Requirements: Kubernetes and Terraform. Nice to have: Go.")
    analyzer.check_job(posting)
    result = analyzer.analyze(GENUINE, posting)
    assert result.matched_skills == ("Kubernetes", "Terraform")
    assert result.missing_skills == ("Go",)
    assert "read from its description" in result.reasoning


def test_too_little_text_is_refused(analyzer):
    with pytest.raises(AnalysisError, match="too little readable text"):
        analyzer.analyze("Python developer", job(["Python"]))


def test_general_analysis_is_explained(analyzer):
    result = analyzer.analyze(GENUINE, None)
    assert 0 < result.overall_fit_score <= 100
    assert result.matched_skills[:2] == ("Kubernetes", "Linux") or "Kubernetes" in (
        result.matched_skills
    )
    assert "Skills used in dated roles" in result.reasoning
    assert "Experience: 10.1 years from 2 dated roles" in result.reasoning
    assert "Score: (breadth" in result.reasoning
    stuffed = analyzer.analyze(STUFFED, None)
    assert stuffed.overall_fit_score < result.overall_fit_score


def test_scores_are_deterministic(analyzer):
    posting = job(["Kubernetes", "Go"], ["Python"], min_years=4)
    fresh = EvidenceAnalyzer(today=TODAY)
    assert analyzer.analyze(GENUINE, posting) == fresh.analyze(GENUINE, posting)


def test_scores_ignore_name_pronouns_and_birth_date(analyzer):
    posting = job(["Kubernetes", "Terraform"], ["Python"], min_years=5)
    other = GENUINE.replace("Sam Doe", "Julia Ruby\nPronouns: she/her\nDate of birth: 1961")
    assert analyzer.analyze(GENUINE, posting) == analyzer.analyze(other, posting)
    assert analyzer.analyze(GENUINE, None) == analyzer.analyze(other, None)


def test_propose_requirements_from_a_description():
    proposal = propose_job_requirements(
        """Senior Data Engineer

About us
We are a fintech with Salesforce and HubSpot in the back office.

Responsibilities
- Build pipelines in Airflow.

Requirements
- 5+ years of experience with Python and SQL
- Experience with cloud warehouses such as Snowflake, BigQuery or Redshift
- Excellent communication skills

Nice to have
- Kafka, dbt
"""
    )
    assert proposal.required == ("Python", "SQL")
    assert set(proposal.preferred) == {
        "Apache Airflow",
        "Snowflake",
        "BigQuery",
        "Amazon Redshift",
        "Apache Kafka",
        "dbt",
    }
    assert proposal.min_years == 5.0


def test_propose_reads_word_numbers_and_ignores_unrelated_numbers():
    assert propose_job_requirements("Five years of experience in Java.").min_years == 5.0
    assert propose_job_requirements("Team of 12 in 3 offices, Java.").min_years is None

"""The labelled set: quality targets hold, and scores are blind to who the candidate is."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from tests.data.labelled.build import PEOPLE, render

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "labelled"


def _quality():
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality():
    return _quality()


@pytest.fixture(scope="module")
def figures(quality):
    return quality.evaluate()


def test_the_committed_files_match_the_profiles():
    """Run ``python -m tests.data.labelled.build`` after editing a profile."""
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    assert len(labels["resumes"]) >= 40 and len(labels["jobs"]) >= 6
    for person in PEOPLE:
        text, skills = render(person)
        assert (DATA / "resumes" / f"{person.key}.txt").read_text(encoding="utf-8") == text
        assert labels["resumes"][person.key]["skills"] == sorted(skills)


def test_every_job_has_graded_relevance():
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    for job in labels["jobs"]:
        grades = {r["relevance"][job] for r in labels["resumes"].values()}
        assert {0, 3} <= grades, job


def test_skill_extraction_meets_its_targets(figures):
    precision, recall = figures["skills"]["ours"]
    assert precision >= 0.95 and recall >= 0.90


def test_years_are_within_one_year(figures):
    assert figures["years_within_1"]["ours"] >= 0.90


def test_ranking_beats_the_keyword_baseline(figures):
    assert figures["mean_ndcg"]["ours"] >= 0.90
    assert figures["mean_ndcg"]["ours"] > figures["mean_ndcg"]["baseline"]


def test_stuffed_resumes_rank_below_every_genuine_top_candidate(figures):
    for ranking in figures["ranking"].values():
        for stuffed, _ in ranking["stuffed"].values():
            for genuine, _ in ranking["best_genuine"].values():
                assert stuffed < genuine * 0.6


def test_ndcg_averages_ties():
    quality = _quality()
    relevance = {"a": 3, "b": 0, "c": 0, "d": 0, "e": 0, "f": 0}
    tied = {key: 1.0 for key in relevance}
    assert quality.ndcg_at_k({"a": 2.0, **{k: 1.0 for k in "bcdef"}}, relevance) == 1.0
    assert 0 < quality.ndcg_at_k(tied, relevance) < 1.0


# --- fairness -----------------------------------------------------------------------------------

_NAMES = [
    "Ruby Nakamura",
    "Julia Fernandes",
    "Morgan Jenkins",
    "Ada Mensah",
    "Taylor Swift",
    "Mohammed Al-Sayed",
    "José Álvarez",
    "Grace Go",
]
_PERSONAL = [
    "Date of birth: 02/02/1958",
    "Born 1 January 2001",
    "Pronouns: they/them",
    "Gender: male | Nationality: Irish | Marital status: married",
]


def _swap(text: str, name: str, index: int) -> str:
    new_name = _NAMES[index % len(_NAMES)]
    old_email = ".".join(name.lower().split())
    new_email = re.sub(r"[^a-z.]", "", ".".join(new_name.lower().split()))
    lines = text.replace(name, new_name).replace(old_email, new_email).split("\n")
    personal = _PERSONAL[index % len(_PERSONAL)]
    if re.match(r"(Date of birth|Born|Pronouns)", lines[3]):
        lines[3] = personal
    else:
        lines.insert(3, personal)
    pronoun = "She" if index % 2 else "He"
    return "\n".join(lines) + f"\nInterests\n{pronoun} enjoys hiking with {pronoun.lower()} dog.\n"


def test_swapping_names_pronouns_and_birth_years_changes_no_score(quality):
    from recur_desktop.analysis import EvidenceAnalyzer

    as_of, jobs, labels, texts = quality.load()
    analyzer = EvidenceAnalyzer(today=as_of)
    for index, (key, text) in enumerate(sorted(texts.items())):
        name = labels[key]["name"]
        base = _swap(text, name, index)
        other = _swap(text, name, index + 3)
        assert base != other
        for job in [*jobs.values(), None]:
            first, second = analyzer.analyze(base, job), analyzer.analyze(other, job)
            assert first == second, (key, job.title if job else "general")

"""Quality of the built-in analyzer on the labelled set, beside a keyword-overlap baseline.

    python bench/quality.py [--json]

Prints, for the built-in analyzer and for a plain keyword-overlap baseline computed in the same
run: skill extraction precision and recall (micro-averaged over all resumes), the share of
resumes whose years of experience are within one year of the label, and ranking NDCG@5 per job
with graded relevance (ties in a score are averaged, so a baseline that scores many resumes the
same gets the expected value of a random order among them, not a lucky one).
Targets (issue 4): precision >= 0.95, recall >= 0.90, years within 1 year >= 90 %, mean NDCG@5
>= 0.90.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recur_desktop.analysis import EvidenceAnalyzer, KeywordOverlapAnalyzer  # noqa: E402
from recur_desktop.analysis.keyword import experience_years, keyword_skills  # noqa: E402
from recur_desktop.domain import JobPosting  # noqa: E402

DATA = ROOT / "tests" / "data" / "labelled"
K = 5


def load() -> tuple[date, dict[str, JobPosting], dict[str, dict], dict[str, str]]:
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(labels["as_of"])
    owner = uuid.UUID(int=0)
    jobs = {
        key: JobPosting(
            id=uuid.UUID(int=index + 1),
            user_id=owner,
            title=spec["title"],
            company="Labelled Set Ltd",
            description=spec["description"],
            required_skills=tuple(spec["required"]),
            preferred_skills=tuple(spec["preferred"]),
            min_years=float(spec["min_years"]),
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for index, (key, spec) in enumerate(sorted(labels["jobs"].items()))
    }
    texts = {
        key: (DATA / "resumes" / f"{key}.txt").read_text(encoding="utf-8")
        for key in labels["resumes"]
    }
    return as_of, jobs, labels["resumes"], texts


def ndcg_at_k(scores: dict[str, float], relevance: dict[str, int], k: int = K) -> float:
    """NDCG@k with gains 2^rel - 1; tied scores share the mean gain of their group."""
    ordered = sorted(scores, key=lambda key: -scores[key])
    gains: list[float] = []
    index = 0
    while index < len(ordered):
        group = [ordered[index]]
        while index + len(group) < len(ordered) and math.isclose(
            scores[ordered[index + len(group)]], scores[ordered[index]]
        ):
            group.append(ordered[index + len(group)])
        mean = sum(2 ** relevance[key] - 1 for key in group) / len(group)
        gains.extend([mean] * len(group))
        index += len(group)
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = sorted((2**r - 1 for r in relevance.values()), reverse=True)
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal[:k]))
    return dcg / idcg if idcg else 1.0


def precision_recall(found: dict[str, set[str]], truth: dict[str, set[str]]) -> tuple[float, float]:
    tp = sum(len(found[k] & truth[k]) for k in truth)
    fp = sum(len(found[k] - truth[k]) for k in truth)
    fn = sum(len(truth[k] - found[k]) for k in truth)
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def evaluate() -> dict:
    as_of, jobs, labels, texts = load()
    analyzer = EvidenceAnalyzer(today=as_of)
    baseline = KeywordOverlapAnalyzer(analyzer.vocabulary)
    truth = {key: set(label["skills"]) for key, label in labels.items()}

    ours_skills = {key: set(analyzer.profile(text).skills) for key, text in texts.items()}
    base_skills = {key: keyword_skills(text, analyzer.vocabulary) for key, text in texts.items()}
    ours_p, ours_r = precision_recall(ours_skills, truth)
    base_p, base_r = precision_recall(base_skills, truth)

    as_of_dt = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    ours_years = {key: analyzer.profile(text).years for key, text in texts.items()}
    base_years = {key: experience_years(text, today=as_of_dt) for key, text in texts.items()}

    def within(years: dict[str, float]) -> float:
        return sum(abs(years[k] - labels[k]["years"]) <= 1.0 for k in labels) / len(labels)

    ranking = {}
    for job_key, job in jobs.items():
        relevance = {key: labels[key]["relevance"][job_key] for key in labels}
        ours = {key: analyzer.analyze(text, job).overall_fit_score for key, text in texts.items()}
        base = {key: baseline.analyze(text, job).overall_fit_score for key, text in texts.items()}
        stuffers = [k for k in labels if labels[k]["relevance"][job_key] == 0 and k in _STUFFED]
        best = [k for k in labels if labels[k]["relevance"][job_key] == 3]
        ranking[job_key] = {
            "title": job.title,
            "ndcg": ndcg_at_k(ours, relevance),
            "baseline_ndcg": ndcg_at_k(base, relevance),
            "top5": sorted(ours, key=lambda k: (-ours[k], k))[:K],
            "stuffed": {k: (ours[k], base[k]) for k in stuffers if _STUFFED[k] == job_key},
            "best_genuine": {k: (ours[k], base[k]) for k in best},
        }
    misses = {
        key: {
            "extra": sorted(ours_skills[key] - truth[key]),
            "missed": sorted(truth[key] - ours_skills[key]),
        }
        for key in sorted(labels)
        if ours_skills[key] != truth[key]
    }
    year_misses = {
        key: (ours_years[key], labels[key]["years"])
        for key in sorted(labels)
        if abs(ours_years[key] - labels[key]["years"]) > 1.0
    }
    return {
        "resumes": len(labels),
        "jobs": len(jobs),
        "skills": {"ours": (ours_p, ours_r), "baseline": (base_p, base_r)},
        "years_within_1": {"ours": within(ours_years), "baseline": within(base_years)},
        "ranking": ranking,
        "mean_ndcg": {
            "ours": sum(r["ndcg"] for r in ranking.values()) / len(ranking),
            "baseline": sum(r["baseline_ndcg"] for r in ranking.values()) / len(ranking),
        },
        "skill_misses": misses,
        "year_misses": year_misses,
    }


#: Resumes that paste a job's skill list (and text) over unrelated experience: key -> job.
_STUFFED = {"b07": "J1", "f06": "J2", "d07": "J3", "o05": "J6"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every extraction miss")
    args = parser.parse_args()
    result = evaluate()
    if args.json:
        print(json.dumps(result, indent=1, default=list))
        return
    (op, orr), (bp, br) = result["skills"]["ours"], result["skills"]["baseline"]
    print(f"Labelled set: {result['resumes']} resumes, {result['jobs']} jobs\n")
    print(f"{'figure':34}{'built-in':>10}{'keyword baseline':>18}{'target':>9}")
    print(f"{'skill precision':34}{op:>10.3f}{bp:>18.3f}{'>= 0.95':>9}")
    print(f"{'skill recall':34}{orr:>10.3f}{br:>18.3f}{'>= 0.90':>9}")
    yo, yb = result["years_within_1"]["ours"], result["years_within_1"]["baseline"]
    print(f"{'years within +-1':34}{yo:>10.1%}{yb:>18.1%}{'>= 90%':>9}")
    for job_key, r in result["ranking"].items():
        label = f"NDCG@5 {job_key} {r['title']}"[:34]
        print(f"{label:34}{r['ndcg']:>10.3f}{r['baseline_ndcg']:>18.3f}")
    mo, mb = result["mean_ndcg"]["ours"], result["mean_ndcg"]["baseline"]
    print(f"{'mean NDCG@5':34}{mo:>10.3f}{mb:>18.3f}{'>= 0.90':>9}")
    print("\nKeyword stuffing (overall score: built-in / baseline):")
    for job_key, r in result["ranking"].items():
        for key, (ours, base) in r["stuffed"].items():
            genuine = ", ".join(f"{k} {o:g}/{b:g}" for k, (o, b) in r["best_genuine"].items())
            print(f"  {job_key}: stuffed {key} {ours:g}/{base:g}; best genuine: {genuine}")
    if args.verbose:
        print("\nExtraction differences from the labels:")
        for key, miss in result["skill_misses"].items():
            print(f"  {key}: extra {miss['extra']} missed {miss['missed']}")
        print("Years off by more than one:", result["year_misses"])
        for job_key, r in result["ranking"].items():
            print(f"  {job_key} top 5: {r['top5']}")


if __name__ == "__main__":
    main()

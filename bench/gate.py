"""The resume gate on its labelled set: how many resumes it lets in, how many other files it stops.

    python bench/gate.py [--json] [--verbose]

Reads the committed labelled set (``tests/data/gate``, the same texts rendered as PDF/DOCX, the
project's sample resumes, the analyzer's labelled resumes and jobs, generated resumes) and, where
``../shared/data`` exists, the peer resumes and job descriptions and the real CVs, in place.

Prints, for the committed set, the shared set and both together:

- resume recall: resumes accepted / all resumes (target 100 %: no resume may be turned away);
- precision of acceptance: resumes among everything accepted;
- catch rate: non-resumes rejected / all non-resumes (target >= 90 %);
- precision of rejection: non-resumes among everything rejected;

then, per kind of document, how many were decided right and how many were rejected under their
own kind ("This looks like a job advertisement" for a job ad), and every misclassified file.
``--verbose`` also lists the non-resumes rejected under another kind and the cues behind each
rejection.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recur_desktop.extraction import judge_resume  # noqa: E402
from tests.data.gate import corpus  # noqa: E402


def figures(results: list[tuple[corpus.Item, Any]]) -> dict[str, Any]:
    resumes = [v for item, v in results if item.is_resume]
    others = [v for item, v in results if not item.is_resume]
    accepted = [item for item, v in results if v.is_resume]
    rejected = [item for item, v in results if not v.is_resume]
    kept = sum(v.is_resume for v in resumes)
    caught = sum(not v.is_resume for v in others)
    per_kind: dict[str, dict[str, int]] = defaultdict(Counter)  # type: ignore[arg-type]
    for item, verdict in results:
        row = per_kind[item.kind]
        row["n"] += 1
        row["right"] += verdict.is_resume == item.is_resume
        row["same_kind"] += verdict.kind == item.kind
    return {
        "documents": len(results),
        "resumes": len(resumes),
        "non_resumes": len(others),
        "resume_recall": _ratio(kept, len(resumes)),
        "accept_precision": _ratio(sum(i.is_resume for i in accepted), len(accepted)),
        "catch_rate": _ratio(caught, len(others)),
        "reject_precision": _ratio(sum(not i.is_resume for i in rejected), len(rejected)),
        "per_kind": {kind: dict(row) for kind, row in sorted(per_kind.items())},
        "misclassified": [
            {"file": item.name, "label": item.kind, "verdict": v.kind, "score": v.score}
            for item, v in results
            if v.is_resume != item.is_resume
        ],
        "other_kind": [
            {"file": item.name, "label": item.kind, "verdict": v.kind, "cues": list(v.cues)}
            for item, v in results
            if not item.is_resume and not v.is_resume and v.kind != item.kind
        ],
    }


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.1%}"


def evaluate() -> dict[str, Any]:
    start = time.perf_counter()
    committed = [
        (item, judge_resume(item.text, file_name=item.file_name)) for item in corpus.committed()
    ]
    shared = [(item, judge_resume(item.text, file_name=item.file_name)) for item in corpus.shared()]
    seconds = time.perf_counter() - start
    sets = {"committed": figures(committed)}
    if shared:
        sets["shared"] = figures(shared)
        sets["all"] = figures(committed + shared)
    by_source: dict[str, list[tuple[corpus.Item, Any]]] = defaultdict(list)
    for item, verdict in committed + shared:
        by_source[item.source].append((item, verdict))
    return {
        "sets": sets,
        "sources": {source: figures(rows) for source, rows in by_source.items()},
        "shared_data": str(corpus.SHARED_DATA) if shared else None,
        "seconds": seconds,
        "rejections": [
            {"file": item.name, "verdict": v.kind, "reason": v.reason, "cues": list(v.cues)}
            for item, v in committed + shared
            if not v.is_resume
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every rejection's cues")
    args = parser.parse_args()
    result = evaluate()
    if args.json:
        print(json.dumps(result, indent=1))
        return
    if result["shared_data"] is None:
        print("Shared data not found beside the repository: committed set only.\n")
    header = f"{'set':24}{'docs':>6}{'resumes':>9}{'others':>8}"
    header += f"{'recall':>9}{'acc.prec':>10}{'caught':>9}{'rej.prec':>10}"
    print(header)
    rows = [(name, f) for name, f in result["sets"].items()]
    rows += [(f"  {name}", f) for name, f in result["sources"].items()]
    for name, f in rows:
        print(
            f"{name:24}{f['documents']:>6}{f['resumes']:>9}{f['non_resumes']:>8}"
            f"{_pct(f['resume_recall']):>9}{_pct(f['accept_precision']):>10}"
            f"{_pct(f['catch_rate']):>9}{_pct(f['reject_precision']):>10}"
        )
    print("targets: recall of resumes 100 %, non-resumes caught >= 90 %")

    final = result["sets"].get("all", result["sets"]["committed"])
    print(f"\nPer kind ({'committed + shared' if 'all' in result['sets'] else 'committed'}):")
    print(f"{'kind':18}{'n':>5}{'decided right':>15}{'named as kind':>15}")
    for kind, row in final["per_kind"].items():
        right = f"{row.get('right', 0)}/{row['n']}"
        named = f"{row.get('same_kind', 0)}/{row['n']}"
        print(f"{kind:18}{row['n']:>5}{right:>15}{named:>15}")

    print("\nMisclassified:")
    if not final["misclassified"]:
        print("  none")
    for miss in final["misclassified"]:
        print(f"  {miss['file']}: labelled {miss['label']}, judged {miss['verdict']}")
    if args.verbose:
        print("\nRejected under another kind:")
        for row in final["other_kind"]:
            print(
                f"  {row['file']}: labelled {row['label']}, judged {row['verdict']} {row['cues']}"
            )
        print("\nRejections:")
        for row in result["rejections"]:
            print(f"  {row['file']}: {row['verdict']} — {row['reason']} {row['cues']}")
    count = sum(f["documents"] for f in result["sources"].values())
    print(f"\n{count} documents judged in {result['seconds']:.2f} s (extraction included)")


if __name__ == "__main__":
    main()

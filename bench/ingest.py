"""Ingest benchmark: import N small PDFs through the real LibraryService (moto S3 over HTTP +
a throwaway Postgres database) and compare, in the same run, with a bare boto3 ``put_object``
loop of the same files to the same moto server.

    python bench/ingest.py            # 1,000 PDFs
    python bench/ingest.py --quick    # 100 PDFs, well under a minute (CI smoke run)

Prints: baseline seconds, our seconds and their ratio (target <= 1.5); a re-import of the same
files and its ratio to the first import (target <= 0.1); the process's peak RSS (target <= 300
MB). When a ratio misses its target (or with ``--profile``) it goes on to explain why: a fresh
import by another user with each step timed, and a cProfile of one more.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import cProfile  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import multiprocessing  # noqa: E402
import pstats  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from typing import Any  # noqa: E402

from bench._common import (  # noqa: E402
    REGION,
    REPO_ROOT,
    dummy_aws_env,
    load_average,
    machine_description,
    moto_server,
    peak_rss_mb,
    throwaway_database,
    verdict,
)

TARGET_RATIO = 1.5
TARGET_REIMPORT_RATIO = 0.1
TARGET_RSS_MB = 300.0

FIRST_NAMES = (
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Niklaus",
    "John",
    "Lynn",
    "Tim",
    "Sophie",
    "Guido",
    "Bjarne",
    "Katherine",
    "Linus",
    "Hedy",
    "Claude",
    "Shafi",
    "Leslie",
    "Ivan",
)
LAST_NAMES = (
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Wirth",
    "Backus",
    "Conway",
    "Berners-Lee",
    "Wilson",
    "Rossum",
    "Stroustrup",
    "Johnson",
    "Torvalds",
    "Lamarr",
    "Shannon",
    "Goldwasser",
    "Lamport",
    "Sutherland",
)
SKILLS = (
    "Python",
    "SQL",
    "PostgreSQL",
    "AWS",
    "Docker",
    "Kubernetes",
    "Terraform",
    "React",
    "TypeScript",
    "Java",
    "Go",
    "Rust",
    "Kafka",
    "Spark",
    "Airflow",
    "Linux",
    "Git",
    "CI/CD",
    "GraphQL",
    "Redis",
    "Django",
    "Flask",
    "FastAPI",
    "Pandas",
)
TITLES = (
    "Software Engineer",
    "Data Engineer",
    "Backend Developer",
    "Platform Engineer",
    "Site Reliability Engineer",
    "Full Stack Developer",
)


# ------------------------------------------------------------------------------------ fixtures
def _resume_pdf(index: int) -> tuple[str, bytes]:
    """A distinct small resume PDF: the index picks name, title and skills and is in the email."""
    from tests.samples import make_pdf, sample_resume_text

    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    skills = [SKILLS[(index * 7 + k * 5) % len(SKILLS)] for k in range(3 + index % 5)]
    text = sample_resume_text(
        f"{first} {last}",
        list(dict.fromkeys(skills)),
        email=f"{first.lower()}.{last.lower()}.{index}@example.com",
        title=TITLES[index % len(TITLES)],
    )
    return f"{index:05d}-{first}-{last}.pdf".lower(), make_pdf(text)


def _write_pdfs(directory: str, indexes: Sequence[int], chunk_size: int) -> None:
    for position, index in enumerate(indexes):
        name, data = _resume_pdf(index)
        folder = Path(directory) / f"chunk-{position // chunk_size:03d}"
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)


def generate_pdfs(directory: Path, count: int, *, chunks: int = 1, start: int = 0) -> list[Path]:
    """Write ``count`` distinct PDFs into ``chunks`` sub-folders; returns the sub-folders.

    Runs in a child process, so reportlab never counts towards this process's peak RSS.
    """
    directory.mkdir(parents=True, exist_ok=True)
    chunk_size = -(-count // chunks)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        indexes = list(range(start, start + count))
        pool.submit(_write_pdfs, str(directory), indexes, chunk_size).result()
    files = sorted(directory.glob("*/*.pdf"))
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    if len(files) != count or len(digests) != count:
        raise SystemExit(f"expected {count} distinct PDFs, got {len(digests)} of {len(files)}")
    return sorted(p for p in directory.iterdir() if p.is_dir())


# ------------------------------------------------------------------------------------ timing
@dataclass
class Timing:
    wall: float = 0.0  # seconds
    cpu: float = 0.0  # CPU seconds of the whole process (all threads, moto's included)

    def add(self, other: Timing) -> None:
        self.wall += other.wall
        self.cpu += other.cpu


def timed(fn: Callable[[], Any]) -> tuple[Timing, Any]:
    started, cpu_started = time.perf_counter(), time.process_time()
    result = fn()
    return Timing(time.perf_counter() - started, time.process_time() - cpu_started), result


def baseline_put_loop(client: Any, bucket: str, folder: Path) -> int:
    """The floor: read each file and put it, one at a time, nothing else."""
    count = 0
    for path in sorted(folder.iterdir()):
        client.put_object(Bucket=bucket, Key=path.name, Body=path.read_bytes())
        count += 1
    return count


def object_count(client: Any, bucket: str, prefix: str = "") -> int:
    total = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        total += len(page.get("Contents", ()))
    return total


def interleaved(
    chunks: Sequence[Path], contenders: Sequence[tuple[str, Callable[[Path], int]]]
) -> dict[str, Timing]:
    """Run every contender on chunk 1, then every one on chunk 2, ... rotating who goes first,
    so that background load and the store's growth hit all of them alike."""
    totals = {name: Timing() for name, _ in contenders}
    counts = dict.fromkeys(totals, 0)
    for index, chunk in enumerate(chunks):
        shift = index % len(contenders)
        for name, fn in [*contenders[shift:], *contenders[:shift]]:
            timing, done = timed(lambda fn=fn, chunk=chunk: fn(chunk))
            totals[name].add(timing)
            counts[name] += done
    expected = sum(len(list(chunk.iterdir())) for chunk in chunks)
    for name, count in counts.items():
        if count != expected:
            raise SystemExit(f"ERROR: {name} handled {count} files, expected {expected}")
    return totals


def print_table(rows: Sequence[tuple[str, Timing]], files: int) -> None:
    print(f"{'':40}{'seconds':>9}{'ms/file':>9}{'files/s':>9}{'CPU s':>8}{'CPU/wall':>9}")
    for label, timing in rows:
        print(
            f"{label:<40}{timing.wall:9.2f}{timing.wall / files * 1000:9.2f}"
            f"{files / timing.wall:9.0f}{timing.cpu:8.2f}{timing.cpu / timing.wall:9.0%}"
        )


def median_timing(runs: Sequence[Timing]) -> Timing:
    ordered = sorted(runs, key=lambda t: t.wall)
    return ordered[len(ordered) // 2]


# ------------------------------------------------------------------------------------ phases
READ = "read file"
CHECK = "duplicate check (checkout, SELECT, ROLLBACK)"
EXTRACT = "extract_document (pypdfium2)"
RECORD = "wait for upload + INSERT + COMMIT"
COMMIT = "INSERT + COMMIT (checkout, flush, commit)"
PUT = "S3ObjectStore.put (moto over HTTP)"


@dataclass
class Phase:
    wall: float = 0.0
    cpu: float = 0.0  # the calling thread only: moto's request handling runs in its own threads
    calls: int = 0


@contextlib.contextmanager
def instrumented(engine: Any) -> Iterator[tuple[dict[str, Phase], Counter[str]]]:
    """Time the import's steps by wrapping them (no cProfile overhead), and count what goes to
    Postgres: statements, connection checkouts (each one pings), BEGINs, COMMITs, ROLLBACKs."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from recur_desktop.services import library
    from recur_desktop.storage.s3 import S3ObjectStore

    phases: dict[str, Phase] = {}
    targets: list[tuple[Any, str, str]] = [
        (library, "_read_limited", READ),
        (library.LibraryService, "_existing", CHECK),
        (library, "extract_document", EXTRACT),
        (library.LibraryService, "_record", RECORD),
        (Session, "commit", COMMIT),
        (S3ObjectStore, "put", PUT),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]

    def wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        phase = phases.setdefault(label, Phase())

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                phase.wall += time.perf_counter() - started
                phase.cpu += time.thread_time() - cpu_started
                phase.calls += 1

        return wrapper

    for (owner, name, label), (_, _, original) in zip(targets, originals, strict=True):
        setattr(owner, name, wrap(label, original))
    counts: Counter[str] = Counter()
    listeners = {
        "before_cursor_execute": lambda *a, **k: counts.update(["statement"]),
        "begin": lambda *a, **k: counts.update(["BEGIN"]),
        "commit": lambda *a, **k: counts.update(["COMMIT"]),
        "rollback": lambda *a, **k: counts.update(["ROLLBACK"]),
    }
    for name, fn in listeners.items():
        event.listen(engine, name, fn)
    event.listen(engine.pool, "checkout", lambda *a, **k: counts.update(["checkout (+ ping)"]))
    try:
        yield phases, counts
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
        for name, fn in listeners.items():
            event.remove(engine, name, fn)


def phase_breakdown(settings: Any, chunks: Sequence[Path], files: int) -> None:
    from recur_desktop.app import build_context

    ctx = build_context(replace(settings, user="bench-phases"))
    try:
        with instrumented(ctx.engine) as (phases, counts):
            total, _ = timed(lambda: ctx.library.import_paths(list(chunks)))
    finally:
        ctx.close()
    empty = Phase()
    record, commit = phases.get(RECORD, empty), phases.get(COMMIT, empty)
    # The import's own thread: these add up to its wall time; the put overlaps them.
    steps = [
        (READ, phases.get(READ, empty)),
        (CHECK, phases.get(CHECK, empty)),
        (EXTRACT, phases.get(EXTRACT, empty)),
        ("waiting for the upload (put still in flight)", Phase(record.wall - commit.wall)),
        (COMMIT, commit),
    ]

    def line(label: str, phase: Phase, cpu: bool = True) -> str:
        cpu_cell = f"{phase.cpu:14.2f}" if cpu else ""
        return (
            f"  {label:<46}{phase.wall:8.2f}{phase.wall / files * 1000:9.2f}"
            f"{phase.wall / total.wall:7.1%}{cpu_cell}"
        )

    print()
    print("Where the time goes: a fresh import of the same files by another user, each step")
    print("wrapped with a timer (wall time, and CPU time of the calling thread only)")
    print(f"  {'import thread':<46}{'s wall':>8}{'ms/file':>9}{'share':>7}{'thread CPU s':>14}")
    accounted = 0.0
    for label, phase in steps:
        accounted += phase.wall
        print(line(label, phase, cpu=label != steps[3][0]))
    rest = Phase(total.wall - accounted)
    print(line("everything else (walk x2, hashing, ORM rows)", rest, cpu=False))
    print(line("whole import", Phase(total.wall), cpu=False) + f"   process CPU {total.cpu:.2f} s")
    print("  upload thread (overlaps the next file's read, check and extract)")
    print(line(PUT, phases.get(PUT, empty)))
    trips = sum(counts.values())
    detail = ", ".join(f"{k} {v / files:.1f}" for k, v in sorted(counts.items()))
    print(f"  Postgres round trips per file: ~{trips / files:.1f} ({detail})")


def cprofile_top(settings: Any, chunks: Sequence[Path], top: int) -> None:
    from recur_desktop.app import build_context

    ctx = build_context(replace(settings, user="bench-profile"))
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        ctx.library.import_paths(list(chunks))
        profiler.disable()
    finally:
        ctx.close()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    print()
    print(f"cProfile of a further fresh import (import thread only; top {top} by own time):")
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    for line in lines[start:]:
        if line.strip():
            print(
                "  "
                + line.rstrip().replace(sys.prefix + "/lib/", "").replace(str(REPO_ROOT) + "/", "")
            )


# ------------------------------------------------------------------------------------ main run
def run(files: int, *, quick: bool, force_profile: bool, top: int) -> int:
    print(f"Ingest benchmark: {files} PDFs{' (quick)' if quick else ''}")
    print(f"Machine: {machine_description()}; {load_average()}")
    with tempfile.TemporaryDirectory(prefix="recur-bench-ingest-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        chunks = generate_pdfs(root / "pdfs", files, chunks=10)
        warm = generate_pdfs(root / "warmup", 2, start=files)[0]
        size = sum(p.stat().st_size for p in (root / "pdfs").glob("*/*.pdf"))
        print(
            f"Generated {files} distinct PDFs ({size / files / 1024:.1f} KiB average, "
            f"{size / 1024 / 1024:.1f} MiB total) in {len(chunks)} folders "
            f"in {time.perf_counter() - started:.1f} s"
        )
        with dummy_aws_env(), moto_server() as endpoint, throwaway_database() as db_url:
            return _measure(root, chunks, warm, endpoint, db_url, files, force_profile, top)


def _measure(
    root: Path,
    chunks: list[Path],
    warm: Path,
    endpoint: str,
    db_url: str,
    files: int,
    force_profile: bool,
    top: int,
) -> int:
    import boto3

    from recur_desktop.app import build_context
    from recur_desktop.settings import Settings

    print(f"moto S3 server at {endpoint} (its own process); database {db_url.rsplit('/', 1)[1]}")
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    for bucket in ("bench-baseline", "bench-recur", "bench-warmup"):
        client.create_bucket(Bucket=bucket)
    settings = Settings(
        data_dir=root / "data",
        database_url=db_url,
        s3_bucket="bench-recur",
        s3_endpoint_url=endpoint,
        s3_region=REGION,
        user="bench",
    )
    ctx = build_context(settings)
    try:
        # Warm both paths (imports, connection pools, first requests) on two other files.
        baseline_put_loop(client, "bench-warmup", warm)
        warm_report = ctx.library.import_paths([warm])
        print(f"Peak RSS after set-up: {peak_rss_mb():.0f} MB")

        def ours(chunk: Path) -> int:
            report = ctx.library.import_paths([chunk])
            if report.rejected or report.duplicates:
                raise SystemExit(f"ERROR: import rejected {report.rejected[:1]}")
            return len(report.added)

        totals = interleaved(
            chunks,
            [
                ("baseline", lambda chunk: baseline_put_loop(client, "bench-baseline", chunk)),
                ("ours", ours),
            ],
        )
        reimports = []
        for _ in range(3):
            timing, report = timed(lambda: ctx.library.import_paths(list(chunks)))
            if len(report.duplicates) != files or report.added or report.rejected:
                print(f"ERROR: re-import added {len(report.added)}, rejected {report.rejected}")
                return 1
            reimports.append(timing)
        rss = peak_rss_mb()
        stored = object_count(client, "bench-recur")
        if stored != files + len(warm_report.added):
            print(f"ERROR: {stored} objects in bench-recur, expected {files} + warm-up")
            return 1
    finally:
        ctx.close()

    baseline, first = totals["baseline"], totals["ours"]
    again = median_timing(reimports)
    ratio = first.wall / baseline.wall
    reimport_ratio = again.wall / first.wall
    print(f"Both run over the same {len(chunks)} folders of files, alternating which goes first.")
    print()
    print_table(
        [
            ("baseline: boto3 put_object loop", baseline),
            ("ours: LibraryService.import_paths", first),
            ("ours: re-import, all duplicates (med/3)", again),
        ],
        files,
    )
    print()
    met = verdict(ratio <= TARGET_RATIO)
    print(f"import / baseline:        {ratio:7.2f}    (target <= {TARGET_RATIO})  {met}")
    met = verdict(reimport_ratio <= TARGET_REIMPORT_RATIO)
    target = TARGET_REIMPORT_RATIO
    print(f"re-import / import:       {reimport_ratio:7.3f}    (target <= {target})  {met}")
    met = verdict(rss <= TARGET_RSS_MB)
    print(f"peak RSS of this process: {rss:7.0f} MB (target <= {TARGET_RSS_MB:.0f} MB)  {met}")
    print("(moto runs in its own process, as a remote bucket would: it is not counted here)")

    missed = ratio > TARGET_RATIO or reimport_ratio > TARGET_REIMPORT_RATIO
    if missed or force_profile:
        phase_breakdown(settings, chunks, files)
        cprofile_top(settings, chunks, top)
    print()
    print(f"Done; {load_average()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 files (CI smoke run)")
    parser.add_argument("--files", type=int, help="number of PDFs (default 1000, quick 100)")
    parser.add_argument(
        "--profile", action="store_true", help="time each step and profile even when on target"
    )
    parser.add_argument("--top", type=int, default=20, help="functions listed by cProfile")
    args = parser.parse_args(argv)
    files = args.files or (100 if args.quick else 1000)
    return run(files, quick=args.quick, force_profile=args.profile, top=args.top)


if __name__ == "__main__":
    raise SystemExit(main())

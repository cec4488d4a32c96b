"""Availability benchmark: the first page of "resumes available for this job" WITH its total,
through the real AnalysisService, against the design document's NOT IN query on the same data.

    python bench/availability.py           # 100,000 resumes, 200 jobs, 1,000,000 analyses
    python bench/availability.py --quick   # 10,000 / 20 / 100,000 (CI smoke run, < 60 s)

A throwaway ``recur_bench_*`` Postgres database gets the schema from the Alembic revisions, then
rows generated server-side (INSERT ... SELECT generate_series, gen_random_uuid()) for one user
plus a second user, so that owner scoping has something to skip. Then, interleaved run by run
over a few jobs of different weight:

* ours:   ``AnalysisService.available(job_id, limit=50)`` (page + total, as the app calls it);
* theirs: "Get Available Resumes" (job-specific) of the design document, run as raw SQL with
  ``ORDER BY created_at DESC LIMIT 50`` plus a ``COUNT(*)`` total using the same ``NOT IN``.

Prints per-job and overall medians and their ratio (target: ours <= 20 ms, ours / theirs <= 1.0),
checks our page and total against an independent query, and prints EXPLAIN (ANALYZE, BUFFERS) of
every statement of both for the saturated, a heavy and a medium job.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from sqlalchemy import Engine, event, text  # noqa: E402

from bench._common import (  # noqa: E402
    bench_engine,
    load_average,
    machine_description,
    throwaway_database,
    verdict,
)

TARGET_MS = 20.0
TARGET_RATIO = 1.0
PAGE = 50
#: Sessions per job, and the share of all analyses each tier of jobs gets.
SESSIONS_PER_JOB = 10
SHARES = {"saturated": 0.10, "heavy": 0.40, "medium": 0.36, "light": 0.12, "general": 0.02}

# The design document's job-specific query, verbatim but for the paging the app needs.
THEIR_NOT_IN = """
    r.user_id = %(owner)s
    AND r.id NOT IN (
        SELECT ra.resume_id
        FROM resume_analyses ra
        JOIN analysis_sessions a ON ra.analysis_session_id = a.id
        WHERE a.job_posting_id = %(job)s AND a.status = 'completed'
    )"""
THEIR_PAGE = f"SELECT r.* FROM resumes r WHERE {THEIR_NOT_IN} ORDER BY r.created_at DESC LIMIT 50"
THEIR_COUNT = f"SELECT COUNT(*) FROM resumes r WHERE {THEIR_NOT_IN}"

# The availability rule of docs/architecture.md, written independently of the service, to check
# that the service's page and its (two-count) total are right.
REFERENCE_WHERE = """
    r.user_id = :owner AND r.deleted_at IS NULL
    AND NOT EXISTS (
        SELECT 1 FROM resume_analyses ra
        JOIN analysis_sessions a ON a.id = ra.analysis_session_id
        WHERE ra.resume_id = r.id AND ra.status = 'ok' AND a.status = 'completed'
          AND a.user_id = :owner AND a.job_posting_id = :job
    )"""


# ------------------------------------------------------------------------------------ data
@dataclass(frozen=True)
class Sizes:
    resumes: int
    jobs: int
    analyses: int
    general_sessions: int


@dataclass
class Generated:
    owner_id: uuid.UUID
    jobs: dict[str, list[uuid.UUID]]  # tier -> job ids
    analyses: int


def _stride(modulus: int) -> int:
    """A step coprime with ``modulus``: k * step % modulus is then distinct for k < modulus."""
    for prime in (7919, 7927, 7933, 7937, 104729):
        if math.gcd(prime, modulus) == 1:
            return prime
    raise ValueError(f"no stride for {modulus}")


def populate(engine: Engine, login: str, sizes: Sizes, tag: str) -> Generated:
    """One user's library, jobs, sessions and analyses, all generated inside Postgres.

    Jobs come in tiers. One "saturated" job had one completed session over the whole library
    with every result ok, which is what "analyse all available" leaves behind (nothing is
    available for it); a few heavy jobs, some medium and many light ones have SESSIONS_PER_JOB
    sessions each, of which 7 completed, 2 failed and 1 was cancelled, and one result in ten is
    ``failed``. One resume in fifty is in the trash. Session k of a job scores resumes
    (offset + i * stride) mod R, i < size: distinct within a session and spread evenly over the
    library's dates. SHARES says which part of all analyses each tier gets.
    """
    from recur_desktop.persistence.uow import SqlUnitOfWorkFactory
    from recur_desktop.services import ensure_user

    owner_id = ensure_user(SqlUnitOfWorkFactory.for_engine(engine), login)
    # 1 saturated, 5 heavy, 45 medium and the rest light of 200 jobs (at least 1 / 2 / 1).
    saturated = 1 if sizes.jobs >= 4 else 0
    heavy = min(sizes.jobs - saturated, max(2, sizes.jobs * 5 // 200))
    medium = min(sizes.jobs - saturated - heavy, max(1, sizes.jobs * 45 // 200))
    light = sizes.jobs - saturated - heavy - medium
    per_session = {
        "saturated": SHARES["saturated"] * sizes.analyses,
        "heavy": SHARES["heavy"] * sizes.analyses / (max(1, heavy) * SESSIONS_PER_JOB),
        "medium": SHARES["medium"] * sizes.analyses / (max(1, medium) * SESSIONS_PER_JOB),
        "light": SHARES["light"] * sizes.analyses / max(1, light * SESSIONS_PER_JOB),
        "general": SHARES["general"] * sizes.analyses / sizes.general_sessions,
    }
    size = {tier: min(sizes.resumes, max(1, round(n))) for tier, n in per_session.items()}
    params: dict[str, Any] = {
        "owner": owner_id,
        "owner_text": str(owner_id),
        "tag": tag,
        "n_resumes": sizes.resumes,
        "n_jobs": sizes.jobs,
        "saturated": saturated,
        "heavy": heavy,
        "medium": medium,
        "per_job": SESSIONS_PER_JOB,
        "n_general": sizes.general_sessions,
        "stride": _stride(sizes.resumes),
        **{f"size_{tier}": n for tier, n in size.items()},
    }
    statements = [
        # Generated rows are consistent by construction; skip the per-row FK triggers.
        "SET LOCAL session_replication_role = replica",
        "CREATE TEMP TABLE bench_r (n int PRIMARY KEY, id uuid NOT NULL) ON COMMIT DROP",
        """INSERT INTO bench_r SELECT n, gen_random_uuid()
           FROM generate_series(0, :n_resumes - 1) n""",
        """INSERT INTO resumes (id, user_id, file_name, s3_resume_key, content_sha256, size_bytes,
               media_type, job_posting_id, text_content, candidate_name, candidate_email,
               candidate_phone, created_at, deleted_at)
           SELECT r.id, :owner, 'resume-' || r.n || '.pdf',
               :owner_text || '/resumes/shared/' || h.sha || '.pdf', h.sha,
               20000 + r.n % 50000, 'application/pdf', NULL,
               -- about 1 KB of text that pglz can't shrink: an inline row of realistic width
               'Candidate ' || r.n || ' Software Engineer Python SQL AWS '
                   || (SELECT string_agg(md5(r.n || '-' || i), ' ')
                       FROM generate_series(1, 16) i),
               'Candidate ' || r.n, 'candidate' || r.n || '@example.com', NULL,
               now() - r.n * interval '7 minutes',
               CASE WHEN r.n % 50 = 7 THEN now() - interval '1 day' END
           FROM bench_r r
           CROSS JOIN LATERAL (SELECT md5(:tag || r.n) || md5(r.n || :tag) AS sha) h""",
        """CREATE TEMP TABLE bench_j (n int PRIMARY KEY, id uuid NOT NULL, tier text NOT NULL)
           ON COMMIT DROP""",
        """INSERT INTO bench_j SELECT n, gen_random_uuid(),
               CASE WHEN n < :saturated THEN 'saturated'
                    WHEN n < :saturated + :heavy THEN 'heavy'
                    WHEN n < :saturated + :heavy + :medium THEN 'medium'
                    ELSE 'light' END
           FROM generate_series(0, :n_jobs - 1) n""",
        """INSERT INTO job_postings (id, user_id, title, company, description, required_skills,
               preferred_skills, min_years, created_at, archived_at)
           SELECT id, :owner, 'Job ' || n || ' (' || tier || ')', 'Bench Corp', 'A job.',
               '["python", "sql"]'::json, '["aws"]'::json, NULL,
               now() - n * interval '1 hour', NULL
           FROM bench_j""",
        """CREATE TEMP TABLE bench_s (n int PRIMARY KEY, id uuid NOT NULL, job uuid,
               size int NOT NULL, off int NOT NULL, all_ok bool NOT NULL) ON COMMIT DROP""",
        """INSERT INTO bench_s
           SELECT j.n * :per_job + k, gen_random_uuid(), j.id,
               CASE j.tier WHEN 'saturated' THEN :size_saturated WHEN 'heavy' THEN :size_heavy
                    WHEN 'medium' THEN :size_medium ELSE :size_light END,
               (j.n * 104729 + k * 15485863::bigint) % :n_resumes,
               j.tier = 'saturated'
           FROM bench_j j CROSS JOIN generate_series(0, :per_job - 1) k
           WHERE j.tier <> 'saturated' OR k = 0""",
        """INSERT INTO bench_s
           SELECT :n_jobs * :per_job + g, gen_random_uuid(), NULL, :size_general,
               (g * 32452843::bigint) % :n_resumes, false
           FROM generate_series(0, :n_general - 1) g""",
        """INSERT INTO analysis_sessions (id, user_id, session_name, job_posting_id, status,
               analyzer_name, analyzer_version, error, created_at, started_at, finished_at,
               runner, heartbeat_at)
           SELECT id, :owner, 'Session ' || n, job,
               CASE WHEN n % 10 < 7 THEN 'completed' WHEN n % 10 < 9 THEN 'failed'
                    ELSE 'cancelled' END,
               'bench', '1', CASE WHEN n % 10 >= 7 THEN 'stopped' END,
               now() - n * interval '5 minutes', now() - n * interval '5 minutes',
               now() - n * interval '5 minutes' + interval '2 minutes', NULL, NULL
           FROM bench_s""",
        """INSERT INTO resume_analyses (id, user_id, resume_id, analysis_session_id, status,
               error, overall_fit_score, skill_match_score, summary, reasoning, matched_skills,
               missing_skills, analyzer_name, analyzer_version, created_at)
           SELECT gen_random_uuid(), :owner, r.id, s.id,
               CASE WHEN f.failed THEN 'failed' ELSE 'ok' END,
               CASE WHEN f.failed THEN 'The analyzer gave up.' END,
               CASE WHEN f.failed THEN NULL ELSE (k * 37) % 101 END,
               CASE WHEN f.failed THEN NULL ELSE (k * 53) % 101 END,
               CASE WHEN f.failed THEN NULL ELSE 'Fits in part.' END,
               CASE WHEN f.failed THEN NULL ELSE 'Has python; lacks aws.' END,
               '["python"]'::json, '["aws"]'::json, 'bench', '1',
               now() - s.n * interval '5 minutes'
           FROM bench_s s
           CROSS JOIN LATERAL generate_series(0, s.size - 1) k
           CROSS JOIN LATERAL (SELECT k % 10 = 3 AND NOT s.all_ok AS failed) f
           JOIN bench_r r ON r.n = (s.off + k * :stride) % :n_resumes""",
        # The triggers that keep resume_counters were skipped above: count once, as 0005 does.
        """INSERT INTO resume_counters (user_id, live_count)
           SELECT user_id, count(*) FROM resumes WHERE deleted_at IS NULL GROUP BY user_id
           ON CONFLICT (user_id) DO UPDATE SET live_count = EXCLUDED.live_count""",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)
        jobs: dict[str, list[uuid.UUID]] = {
            t: [] for t in ("saturated", "heavy", "medium", "light")
        }
        for job_id, tier in conn.execute(text("SELECT id, tier FROM bench_j ORDER BY n")):
            jobs[tier].append(job_id)
        analyses = conn.execute(
            text(
                "SELECT count(*) FROM resume_analyses ra JOIN analysis_sessions a "
                "ON a.id = ra.analysis_session_id WHERE a.user_id = :owner"
            ),
            {"owner": owner_id},
        ).scalar_one()
    return Generated(owner_id, jobs, int(analyses))


# ------------------------------------------------------------------------------------ capture
@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (and its parameters) sent through ``engine`` inside the block."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def explain(engine: Engine, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return [row[0] for row in rows]


def print_statement(title: str, statement: str, parameters: Any, plan: Sequence[str]) -> None:
    print(f"--- {title}")
    print("    " + " ".join(statement.split()))
    print(f"    parameters: {parameters}")
    for line in plan:
        print("    " + line)


# ------------------------------------------------------------------------------------ runs
Probe = Callable[[uuid.UUID], tuple[int, list[uuid.UUID]]]


def timed_ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def pct(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def compare(
    contenders: Sequence[tuple[str, Probe]], jobs: Sequence[uuid.UUID], rounds: int
) -> dict[str, dict[uuid.UUID, list[float]]]:
    """Warm up, then run every contender once per job per round, rotating who goes first."""
    for job in jobs:
        for _ in range(3):
            for _name, fn in contenders:
                fn(job)
    samples: dict[str, dict[uuid.UUID, list[float]]] = {name: {} for name, _ in contenders}
    for index in range(rounds):
        for job in jobs:
            shift = index % len(contenders)
            for name, fn in [*contenders[shift:], *contenders[:shift]]:
                elapsed, _ = timed_ms(lambda fn=fn, job=job: fn(job))
                samples[name].setdefault(job, []).append(elapsed)
    return samples


def overall(samples: dict[uuid.UUID, list[float]]) -> list[float]:
    return [value for values in samples.values() for value in values]


def print_comparison(
    samples: dict[str, dict[uuid.UUID, list[float]]],
    jobs: Sequence[uuid.UUID],
    tier_of: dict[uuid.UUID, str],
    totals: dict[uuid.UUID, tuple[int, int]],
    baseline: str,
) -> None:
    names = list(samples)
    header = "".join(f"{name + ' med':>16}{'min':>9}{'p90':>9}" for name in names)
    ratios = "".join(f"{name + '/' + baseline:>20}" for name in names if name != baseline)
    print(f"  {'job':<10}{'tier':<10}{'available':>10}{'design':>9}{header}{ratios}")
    for job in jobs:
        total, design = totals[job]
        cells = "".join(
            f"{statistics.median(samples[n][job]):16.2f}{min(samples[n][job]):9.2f}"
            f"{pct(samples[n][job], 0.9):9.2f}"
            for n in names
        )
        base = statistics.median(samples[baseline][job])
        rel = "".join(
            f"{statistics.median(samples[n][job]) / base:20.2f}" for n in names if n != baseline
        )
        print(f"  {str(job)[:8]:<10}{tier_of[job]:<10}{total:>10,}{design:>9,}{cells}{rel}")
    cells = "".join(
        f"{statistics.median(overall(samples[n])):16.2f}{min(overall(samples[n])):9.2f}"
        f"{pct(overall(samples[n]), 0.9):9.2f}"
        for n in names
    )
    base = statistics.median(overall(samples[baseline]))
    rel = "".join(
        f"{statistics.median(overall(samples[n])) / base:20.2f}" for n in names if n != baseline
    )
    count = len(overall(samples[baseline]))
    print(f"  {f'all {count} runs':<39}{cells}{rel}")


def explain_all(engine: Engine, title: str, run_once: Callable[[], Any]) -> None:
    with captured(engine) as statements:
        run_once()
    for number, (statement, parameters) in enumerate(statements, 1):
        plan = explain(engine, statement, parameters)
        print_statement(
            f"{title}, statement {number} of {len(statements)}", statement, parameters, plan
        )


def run(sizes: Sizes, other: Sizes, *, quick: bool, rounds: int) -> int:
    print(
        f"Availability benchmark{' (quick)' if quick else ''}: {sizes.resumes:,} resumes, "
        f"{sizes.jobs} jobs, ~{sizes.analyses:,} analyses for the measured user; "
        f"{other.resumes:,} / {other.jobs} / ~{other.analyses:,} for a second user"
    )
    print(f"Machine: {machine_description()}; {load_average()}")
    with throwaway_database() as url:
        # At full size the INSERT ... SELECT generate_series steps outlast the 60 s deadline.
        engine = bench_engine(url)
        try:
            return _measure(engine, url, sizes, other, rounds)
        finally:
            engine.dispose()


def _measure(engine: Engine, url: str, sizes: Sizes, other: Sizes, rounds: int) -> int:
    from recur_desktop.analysis import SkillCoverageAnalyzer
    from recur_desktop.persistence.engine import upgrade
    from recur_desktop.persistence.uow import SqlUnitOfWorkFactory
    from recur_desktop.services import AnalysisService

    print(f"Database {url.rsplit('/', 1)[1]}")
    started = time.perf_counter()
    upgrade(engine)
    mine = populate(engine, "bench", sizes, "a")
    populate(engine, "bench-other", other, "b")
    generated = time.perf_counter() - started
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(
            "VACUUM (ANALYZE) users, job_postings, resumes, analysis_sessions, resume_analyses, "
            "resume_counters"
        )
        counts = {
            table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("resumes", "job_postings", "analysis_sessions", "resume_analyses")
        }
        db_size = conn.exec_driver_sql(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).scalar_one()
    print(
        f"Generated in {generated:.1f} s, then VACUUM (ANALYZE) in "
        f"{time.perf_counter() - started - generated:.1f} s: "
        + ", ".join(f"{n:,} {t}" for t, n in counts.items())
        + f" (both users; database {db_size}); {mine.analyses:,} analyses are the measured user's"
    )

    service = AnalysisService(
        SqlUnitOfWorkFactory.for_engine(engine), SkillCoverageAnalyzer(), mine.owner_id
    )
    tiers = mine.jobs
    jobs = [*tiers["saturated"][:1], *tiers["heavy"][:1], *tiers["medium"][:2], *tiers["light"][:1]]
    tier_of = {job: tier for tier, ids in tiers.items() for job in ids}

    def ours(job: uuid.UUID) -> tuple[int, list[uuid.UUID]]:
        page = service.available(job, limit=PAGE)
        return page.total, [item.id for item in page.items]

    def theirs(job: uuid.UUID) -> tuple[int, list[uuid.UUID]]:
        params = {"owner": mine.owner_id, "job": job}
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(THEIR_PAGE, params).all()
            total = conn.exec_driver_sql(THEIR_COUNT, params).scalar_one()
        return int(total), [row.id for row in rows]

    # Correctness first: page and total against the rule written out independently.
    totals: dict[uuid.UUID, tuple[int, int]] = {}

    def check(name: str, probe: Probe) -> bool:
        with engine.connect() as conn:
            for job in jobs:
                args = {"owner": mine.owner_id, "job": job}
                total = conn.execute(
                    text(f"SELECT count(*) FROM resumes r WHERE {REFERENCE_WHERE}"), args
                ).scalar_one()
                ids = list(
                    conn.execute(
                        text(
                            f"SELECT r.id FROM resumes r WHERE {REFERENCE_WHERE} "
                            f"ORDER BY r.created_at DESC, r.id DESC LIMIT {PAGE}"
                        ),
                        args,
                    ).scalars()
                )
                got_total, got_ids = probe(job)
                if got_total != total or got_ids != ids:
                    print(
                        f"ERROR: {name}, job {job}: total {got_total}, reference {total}; "
                        f"same page: {got_ids == ids}"
                    )
                    return False
                totals[job] = (total, theirs(job)[0])
        return True

    if not check("service", ours):
        return 1

    summary: list[str] = []
    print()
    print(f"First page ({PAGE}) with its total, {rounds} runs per job, interleaved; milliseconds")
    print("(available = our rule; design = what NOT IN counts, trashed resumes included and")
    print("failed results excluding)")
    samples = compare([("ours", ours), ("theirs", theirs)], jobs, rounds)
    print_comparison(samples, jobs, tier_of, totals, "theirs")
    med_ours = statistics.median(overall(samples["ours"]))
    med_theirs = statistics.median(overall(samples["theirs"]))
    ratio = med_ours / med_theirs
    summary.append(
        f"ours (service):    median {med_ours:7.2f} ms  (target <= {TARGET_MS:.0f} ms)  "
        f"{verdict(med_ours <= TARGET_MS)}"
    )
    summary.append(f"theirs (NOT IN):   median {med_theirs:7.2f} ms")
    summary.append(
        f"ours / theirs:            {ratio:7.2f}     (target <= {TARGET_RATIO})  "
        f"{verdict(ratio <= TARGET_RATIO)}"
    )

    explain_jobs = [*tiers["saturated"][:1], *tiers["heavy"][:1], *tiers["medium"][:1]]
    print()
    print("EXPLAIN (ANALYZE, BUFFERS)")
    for job in explain_jobs:
        explain_all(engine, f"ours, {tier_of[job]} job", lambda job=job: ours(job))
        params = {"owner": mine.owner_id, "job": job}
        for title, statement in (("page", THEIR_PAGE), ("total", THEIR_COUNT)):
            plan = explain(engine, statement, params)
            print_statement(f"theirs, {tier_of[job]} job, {title}", statement, params, plan)

    print()
    print("Summary")
    for line in summary:
        print("  " + line)
    print(f"Done; {load_average()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller (CI smoke run)")
    parser.add_argument(
        "--rounds", type=int, help="runs per job, 5 jobs (default 12; 10 with --quick)"
    )
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    sizes = Sizes(
        resumes=100_000 // scale,
        jobs=200 // scale,
        analyses=1_000_000 // scale,
        general_sessions=100 // scale,
    )
    other = Sizes(
        resumes=sizes.resumes // 5,
        jobs=max(2, sizes.jobs // 10),
        analyses=sizes.analyses // 10,
        general_sessions=max(1, sizes.general_sessions // 10),
    )
    rounds = args.rounds or (10 if args.quick else 12)
    return run(sizes, other, quick=args.quick, rounds=rounds)


if __name__ == "__main__":
    raise SystemExit(main())

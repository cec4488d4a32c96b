"""A deterministic legacy layout (tables + objects) for the migration's tests and benchmark.

``build_legacy_data(seed=...)`` makes the same users, jobs, rows, analyses and bytes for the same
arguments (ids come from a seeded generator), so two databases and buckets can hold identical
legacy data and their migrations can be compared. ``install_legacy`` writes it: the three
tables exactly as the old system created them (``LEGACY_DDL``) and the objects through any
``put(key, bytes)``.

What it contains, per user: jobs (the first two play "456" and "789" of the design document);
contents stored in one to three folders (duplicates across folders, sometimes under another
name, one pair uploaded at the same instant); different files called ``resume.txt``; a few PDF
and DOCX files; rows whose object is missing; objects no row mentions (one a duplicate); one
unreadable file; analyses for general and for jobs, several of one content for one context
(folded), some with NULL or out-of-range scores, one for a job the user has no posting for.
``LegacyData.expected()`` classifies everything with a simple, independent implementation of
the rules, for the tests to compare against.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from hashlib import sha256
from typing import Any

from sqlalchemy import Connection, Engine, insert, text

from recur_desktop.persistence.tables import UserRow
from tests import samples

LEGACY_DDL = (
    "CREATE TABLE legacy_job_postings (id uuid primary key, user_id uuid not null, "
    "title text not null, description text)",
    "CREATE TABLE legacy_resumes (id uuid primary key, user_id uuid not null, "
    "file_name text not null, s3_key text not null, job_posting_id uuid null, "
    "uploaded_at timestamptz not null)",
    "CREATE TABLE legacy_analyses (id uuid primary key, legacy_resume_id uuid not null "
    "references legacy_resumes(id), job_posting_id uuid null, overall_fit_score numeric, "
    "skill_match_score numeric, summary text, reasoning text, analyzed_at timestamptz not null)",
)

JOB_TITLES = ("Senior Developer", "Data Engineer", "UX Designer", "Support Lead")
FIRST = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Hedy")
LAST = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson")
SKILLS = ("Python", "SQL", "Kubernetes", "Figma", "Go", "Rust", "Excel", "Linux", "AWS", "React")
BASE_TIME = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class JobSpec:
    id: uuid.UUID
    user_id: uuid.UUID
    title: str
    description: str


@dataclass(frozen=True)
class RowSpec:
    id: uuid.UUID
    user_id: uuid.UUID
    file_name: str
    s3_key: str
    job_posting_id: uuid.UUID | None
    uploaded_at: datetime


@dataclass(frozen=True)
class AnalysisSpec:
    id: uuid.UUID
    legacy_resume_id: uuid.UUID
    job_posting_id: uuid.UUID | None
    overall_fit_score: Decimal | None
    skill_match_score: Decimal | None
    summary: str
    reasoning: str
    analyzed_at: datetime


@dataclass(frozen=True)
class Scenario:
    """The design document's case: a resume analysed for job "456" (stored in general/ and in
    job 789's folder) must end unavailable for 456, available for 789, with its history."""

    user_id: uuid.UUID
    sha256: str
    job_456: uuid.UUID
    job_789: uuid.UUID
    #: (session context, overall fit) of the history, newest first.
    history: tuple[tuple[uuid.UUID | None, float], ...]


@dataclass
class Expected:
    objects: int = 0
    distinct_contents: int = 0
    duplicates_folded: int = 0
    legacy_rows: int = 0
    missing_objects: int = 0
    unreferenced_objects: int = 0
    unreadable_files: int = 0
    analyses: int = 0
    analyses_to_carry: int = 0
    analyses_invalid_scores: int = 0
    analyses_folded: int = 0
    analyses_not_carried: int = 0
    sessions: int = 0
    #: sha256 -> the representative file name.
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class LegacyData:
    users: list[uuid.UUID]
    #: users rows that exist before the migration (the others it must create).
    login_names: dict[uuid.UUID, str]
    jobs: list[JobSpec]
    objects: dict[str, bytes]
    rows: list[RowSpec]
    analyses: list[AnalysisSpec]
    scenario: Scenario
    unreadable_shas: set[str]

    def expected(self) -> dict[uuid.UUID, Expected]:
        """Per user, what a correct migration reports; computed the plain way."""
        out = {uid: Expected() for uid in self.users}
        sha_of = {key: sha256(data).hexdigest() for key, data in self.objects.items()}
        jobs = {j.id: j for j in self.jobs}
        for key in self.objects:
            out[uuid.UUID(key.split("/")[0])].objects += 1
        contents: dict[uuid.UUID, set[str]] = defaultdict(set)
        for key, sha in sha_of.items():
            contents[uuid.UUID(key.split("/")[0])].add(sha)
        referenced = {r.s3_key for r in self.rows}
        for uid, shas in contents.items():
            out[uid].distinct_contents = len(shas)
            out[uid].duplicates_folded = out[uid].objects - len(shas)
            out[uid].unreadable_files = len(shas & self.unreadable_shas)
            out[uid].unreferenced_objects = sum(
                1 for k in self.objects if k.startswith(f"{uid}/") and k not in referenced
            )
        first_row: dict[tuple[uuid.UUID, str], RowSpec] = {}
        for row in self.rows:
            exp = out[row.user_id]
            exp.legacy_rows += 1
            if row.s3_key not in self.objects:
                exp.missing_objects += 1
                continue
            sha = sha_of[row.s3_key]
            best = first_row.get((row.user_id, sha))
            if best is None or (row.uploaded_at, str(row.id)) < (best.uploaded_at, str(best.id)):
                first_row[(row.user_id, sha)] = row
        for (_, sha), row in first_row.items():
            out[row.user_id].names[sha] = row.file_name
        for key, sha in sha_of.items():
            uid = uuid.UUID(key.split("/")[0])
            if sha not in out[uid].names:
                out[uid].names[sha] = key.rsplit("/", 1)[-1]  # unreferenced: one object each
        rows = {r.id: r for r in self.rows}
        groups: dict[tuple[uuid.UUID, str, uuid.UUID | None], list[AnalysisSpec]] = defaultdict(
            list
        )
        for analysis in self.analyses:
            row = rows[analysis.legacy_resume_id]
            exp = out[row.user_id]
            exp.analyses += 1
            job = jobs.get(analysis.job_posting_id) if analysis.job_posting_id else None
            if row.s3_key not in self.objects or (
                analysis.job_posting_id is not None and (job is None or job.user_id != row.user_id)
            ):
                exp.analyses_not_carried += 1
                continue
            groups[(row.user_id, sha_of[row.s3_key], analysis.job_posting_id)].append(analysis)
        contexts: set[tuple[uuid.UUID, uuid.UUID | None]] = set()
        for (uid, _, context), group in groups.items():
            exp = out[uid]
            exp.analyses_folded += len(group) - 1
            kept = max(group, key=lambda a: (a.analyzed_at, str(a.id)))
            scores = (kept.overall_fit_score, kept.skill_match_score)
            if all(s is not None and 0 <= s <= 100 for s in scores):
                exp.analyses_to_carry += 1
            else:
                exp.analyses_invalid_scores += 1
            contexts.add((uid, context))
        for uid, _ in contexts:
            out[uid].sessions += 1
        return out

    def total(self, name: str) -> int:
        return sum(getattr(e, name) for e in self.expected().values())


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


def _pdf_variant(base: bytes, marker: str) -> bytes:
    """Distinct bytes, same document: a comment after %%EOF that readers ignore."""
    return base + f"\n% {marker}\n".encode()


def _docx_variant(base: bytes, marker: str) -> bytes:
    """Distinct bytes, same document: a different ZIP archive comment."""
    comment = marker.encode()[:0xFFFF]
    # The end-of-central-directory record is last; its final two bytes give the comment length.
    return base[:-2] + len(comment).to_bytes(2, "little") + comment


def build_legacy_data(
    *,
    seed: int = 7,
    users: int = 3,
    contents_per_user: int = 75,
    pdf_every: int = 25,
    docx_every: int = 25,
) -> LegacyData:
    """The legacy world for ``users`` users; the same for the same arguments."""
    rng = random.Random(seed)
    new_id = _Ids(rng)
    base_pdf = samples.make_pdf(samples.sample_resume_text("Pat Example", ["Python", "SQL"]))
    base_docx = samples.make_docx(
        samples.sample_resume_text("Sam Example", ["Excel", "SQL"]).split("\n")
    )
    user_ids = [new_id() for _ in range(users)]
    # The last user has no users row: the migration creates it ("legacy-<id>").
    login_names = {uid: f"legacy-fixture-{i}" for i, uid in enumerate(user_ids[:-1])}
    jobs: list[JobSpec] = []
    objects: dict[str, bytes] = {}
    rows: list[RowSpec] = []
    analyses: list[AnalysisSpec] = []
    unreadable: set[str] = set()
    scenario: Scenario | None = None

    def at(days: float) -> datetime:
        return BASE_TIME + timedelta(days=days)

    def score() -> Decimal:
        return Decimal(rng.randrange(0, 10001)) / 100

    def analyse(
        row: RowSpec,
        context: uuid.UUID | None,
        when: datetime,
        overall: Decimal | None = None,
        skill: Decimal | None = None,
        *,
        fixed: bool = False,
    ) -> AnalysisSpec:
        analysis = AnalysisSpec(
            id=new_id(),
            legacy_resume_id=row.id,
            job_posting_id=context,
            overall_fit_score=overall if fixed else (overall if overall is not None else score()),
            skill_match_score=skill if fixed else (skill if skill is not None else score()),
            summary=f"Summary of {row.file_name}",
            reasoning="Matched on listed skills.",
            analyzed_at=when,
        )
        analyses.append(analysis)
        return analysis

    for u, uid in enumerate(user_ids):
        user_jobs = [JobSpec(new_id(), uid, title, f"{title} for team {u}") for title in JOB_TITLES]
        jobs.extend(user_jobs)
        folders = ["general"] + [f"job_{j.id}" for j in user_jobs]
        folder_job = {f"job_{j.id}": j.id for j in user_jobs}

        def place(
            name: str,
            data: bytes,
            folder: str,
            uploaded: datetime,
            *,
            row: bool = True,
            owner: uuid.UUID = uid,
            folder_job: dict[str, uuid.UUID] = folder_job,
        ) -> RowSpec | None:
            key = f"{owner}/resumes/{folder}/{name}"
            assert key not in objects, key
            objects[key] = data
            if not row:
                return None
            spec = RowSpec(new_id(), owner, name, key, folder_job.get(folder), uploaded)
            rows.append(spec)
            return spec

        for c in range(contents_per_user):
            first, last = FIRST[(c + u) % len(FIRST)], LAST[(c * 3 + u) % len(LAST)]
            person = f"{first} {last} {u}-{c}"
            skills = rng.sample(SKILLS, 3)
            marker = f"user {u} content {c}"
            if c == 17 and u == 0:
                data, ext = samples.make_damaged_pdf() + marker.encode(), ".pdf"
            elif c == 17 and u == 1:
                data, ext = samples.make_png(8 + u, 8) + marker.encode(), ".png"
            elif pdf_every and c % pdf_every == 3:
                data, ext = _pdf_variant(base_pdf, marker), ".pdf"
            elif docx_every and c % docx_every == 7:
                data, ext = _docx_variant(base_docx, marker), ".docx"
            else:
                body = samples.sample_resume_text(person, skills) + f"\nReference {marker}\n"
                data, ext = body.encode(), ".txt"
            if c == 17 and u in (0, 1):
                unreadable.add(sha256(data).hexdigest())
            # Different files under one name: content 0, 10, 20 of each user are "resume.txt".
            name = "resume.txt" if c in (0, 10, 20) else f"{first}_{last}_{c}{ext}"
            copies = 1 + (c % 3 == 0) + (c % 7 == 0)
            chosen = rng.sample(folders, len(folders))
            placed: list[RowSpec] = []
            uploaded = at(rng.uniform(0, 600))
            for i in range(copies):
                copy_name = name
                if i and c % 6 == 0:
                    copy_name = f"{name.rsplit('.', 1)[0]} (copy {i}).{name.rsplit('.', 1)[-1]}"
                folder = next(f for f in chosen if f"{uid}/resumes/{f}/{copy_name}" not in objects)
                chosen.remove(folder)
                # Content 4's two copies were uploaded at the same instant: the id decides.
                when = uploaded if (c == 4 or i == 0) else at(rng.uniform(0, 600))
                spec = place(copy_name, data, folder, when)
                assert spec is not None
                placed.append(spec)
            # Analyses: some per copy, for general, its folder's job or another job.
            for spec in placed:
                if rng.random() < 0.6:
                    context = rng.choice([None, spec.job_posting_id, rng.choice(user_jobs).id])
                    analyse(spec, context, spec.uploaded_at + timedelta(days=rng.uniform(0, 30)))
            if c % 3 == 0 and len(placed) > 1:
                for spec in placed:  # the same content analysed for general from two folders
                    analyse(spec, None, spec.uploaded_at + timedelta(days=40 + rng.random()))
            if c % 11 == 0:  # analysed twice for one job from one folder
                job = user_jobs[2].id
                analyse(placed[0], job, placed[0].uploaded_at + timedelta(days=50))
                analyse(placed[0], job, placed[0].uploaded_at + timedelta(days=51))
            if c in (5, 9, 13) or (c == 17 and u < 2):
                invalid = {
                    5: (None, Decimal("40")),
                    9: (Decimal("55"), Decimal("120")),
                    13: (Decimal("-3"), Decimal("20")),
                }.get(c, (Decimal("33.5"), Decimal("41")))
                analyse(
                    placed[0],
                    user_jobs[3].id,
                    at(900 + c),
                    invalid[0],
                    invalid[1],
                    fixed=True,
                )

        # Rows whose object is missing (with analyses that can't be carried).
        for m in range(3):
            spec = RowSpec(
                new_id(),
                uid,
                f"lost_{m}.pdf",
                f"{uid}/resumes/{folders[m]}/lost_{m}.pdf",
                folder_job.get(folders[m]),
                at(100 + m),
            )
            rows.append(spec)
            analyse(spec, None, at(120 + m))
        # Objects no row mentions: two new contents and one duplicate of content 1.
        for n in range(2):
            body = samples.sample_resume_text(f"Orphan Person {u}{n}", ["Go"]) + f"\n{u}/{n}\n"
            place(f"unlisted_{n}.txt", body.encode(), folders[n + 1], at(0), row=False)
        dup_source = next(r for r in rows if r.user_id == uid and "_1." in r.file_name)
        place("unlisted_copy.txt", objects[dup_source.s3_key], "general", at(0), row=False)
        # An analysis for a job this user has no posting for.
        analyse(rows[-1 - 3], new_id(), at(700))

        if u == 0:
            job_456, job_789 = user_jobs[0].id, user_jobs[1].id
            body = samples.sample_resume_text("Jordan Scenario", ["Python", "Go"]).encode()
            in_general = place("jordan.txt", body, "general", at(10))
            in_789 = place("jordan-final.txt", body, f"job_{job_789}", at(20))
            assert in_general is not None and in_789 is not None
            analyse(in_general, None, at(15), Decimal("55"), Decimal("50"), fixed=True)
            analyse(in_general, job_456, at(30), Decimal("61.5"), Decimal("60"), fixed=True)
            analyse(in_789, job_456, at(40), Decimal("72.25"), Decimal("70"), fixed=True)
            scenario = Scenario(
                uid,
                sha256(body).hexdigest(),
                job_456,
                job_789,
                ((job_456, 72.25), (None, 55.0)),
            )
    assert scenario is not None
    return LegacyData(
        users=user_ids,
        login_names=login_names,
        jobs=jobs,
        objects=objects,
        rows=rows,
        analyses=analyses,
        scenario=scenario,
        unreadable_shas=unreadable,
    )


def install_legacy(
    data: LegacyData,
    engine: Engine,
    put: Callable[[str, bytes], object],
    *,
    workers: int = 8,
) -> None:
    """Create the legacy tables and rows in ``engine``'s database and put the objects."""
    with engine.begin() as conn:
        for ddl in LEGACY_DDL:
            conn.execute(text(ddl))
        if data.login_names:
            conn.execute(
                insert(UserRow.__table__),
                [
                    {
                        "id": uid,
                        "login_name": login,
                        "display_name": login,
                        "email": None,
                        "db_role": None,
                        "created_at": BASE_TIME,
                    }
                    for uid, login in data.login_names.items()
                ],
            )
        _insert_many(
            conn,
            "INSERT INTO legacy_job_postings (id, user_id, title, description) "
            "VALUES (:id, :user_id, :title, :description)",
            (vars(j) for j in data.jobs),
        )
        _insert_many(
            conn,
            "INSERT INTO legacy_resumes (id, user_id, file_name, s3_key, job_posting_id, "
            "uploaded_at) VALUES (:id, :user_id, :file_name, :s3_key, :job_posting_id, "
            ":uploaded_at)",
            (vars(r) for r in data.rows),
        )
        _insert_many(
            conn,
            "INSERT INTO legacy_analyses (id, legacy_resume_id, job_posting_id, "
            "overall_fit_score, skill_match_score, summary, reasoning, analyzed_at) VALUES "
            "(:id, :legacy_resume_id, :job_posting_id, :overall_fit_score, "
            ":skill_match_score, :summary, :reasoning, :analyzed_at)",
            (vars(a) for a in data.analyses),
        )
    items = sorted(data.objects.items())
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda item: put(*item), items))


def _insert_many(conn: Connection, sql: str, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    if batch:
        conn.execute(text(sql), batch)


def s3_put(client: Any, bucket: str) -> Callable[[str, bytes], object]:
    """How the old system wrote objects: a plain put_object, no checksum, no metadata."""

    def put(key: str, data: bytes) -> object:
        return client.put_object(Bucket=bucket, Key=key, Body=data)

    return put

"""The audit trail: erasures, purges, removals and repairs, append-only and per owner."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from recur_desktop.app import build_context
from recur_desktop.cli import run
from tests import samples
from tests.integration.team_fixtures import add_resume, alice_and_bob, team
from tests.integration.test_cli import settings_env
from tests.integration.test_security import login, refused

__all__ = ["alice_and_bob", "team"]  # fixtures used below


def _import(ctx, folder: Path, name: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_bytes(samples.make_text(samples.sample_resume_text(name, ["Python"])))
    return ctx.library.import_paths([path]).added[0].resume


def test_an_erasure_and_a_purge_are_recorded_with_ids_only(ctx, tmp_path):
    erased = _import(ctx, tmp_path / "in", "Ada Lovelace")
    trashed = _import(ctx, tmp_path / "in", "Grace Hopper")
    ctx.library.erase(erased.id)
    ctx.library.delete(trashed.id)
    ctx.library.purge(older_than_days=0)
    events = ctx.audit.events()
    assert [(e.action, e.subject_id) for e in events] == [
        ("purge", trashed.id),
        ("erase", erased.id),
    ]
    assert events[1].detail == {"was_trashed": False}
    # Nothing of the person: no name, no file name, no text.
    stored = json.dumps([e.detail for e in events]) + "".join(e.actor for e in events)
    assert "Ada" not in stored and "Lovelace" not in stored and ".txt" not in stored
    assert ctx.audit.events(since=datetime.now(UTC) + timedelta(days=1)) == []


def test_the_embedded_trail_cannot_be_changed_or_deleted(embedded_settings, tmp_path):
    """SQLite has no roles: triggers keep it append-only (Postgres: grants, tested below)."""
    ctx = build_context(embedded_settings)
    ctx.library.erase(_import(ctx, tmp_path / "in", "Ada Lovelace").id)
    for statement in ("UPDATE audit_events SET action = 'purge'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), ctx.engine.begin() as conn:
            conn.execute(text(statement))
    assert len(ctx.audit.events()) == 1
    ctx.close()


def test_recur_audit_lists_the_trail(settings, tmp_path, monkeypatch, capsys):
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ada.txt").write_bytes(
        samples.make_text(samples.sample_resume_text("Ada Lovelace", ["Python"]))
    )
    assert run(["--json", "import", str(folder)]) == 0
    resume_id = json.loads(capsys.readouterr().out)["added"][0]["id"]
    assert run(["erase", resume_id, "--yes"]) == 0
    capsys.readouterr()
    assert run(["audit", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert [(e["action"], e["subject_id"]) for e in events] == [("erase", resume_id)]
    assert run(["audit"]) == 0
    assert "erase" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        run(["audit", "--since", "not-a-date"])
    assert usage.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_a_recruiter_reads_and_appends_only_their_own_events(team, alice_and_bob, tmp_path):
    alice, bob = alice_and_bob
    alice.library.erase(add_resume(alice, tmp_path / "a", "Ada Lovelace", ["X"]).id)
    bob.library.erase(add_resume(bob, tmp_path / "b", "Grace Hopper", ["Y"]).id)
    assert [e.actor for e in bob.audit.events()] == [team["users"]["bob"].db_role]
    insert = (
        "INSERT INTO audit_events (id, user_id, actor, action, detail, created_at) "
        "VALUES (:id, :u, :actor, 'erase', '{}', now())"
    )
    with login(team, "bob") as conn:
        assert conn.scalar(text("SELECT count(*) FROM audit_events")) == 1
        for statement in ("UPDATE audit_events SET detail = '{}'", "DELETE FROM audit_events"):
            assert "permission denied" in refused(conn, statement)
        forged = {"id": uuid.uuid4(), "u": alice.owner_id, "actor": team["users"]["bob"].db_role}
        assert "row-level security" in refused(conn, insert, forged)
        as_alice = {
            "id": uuid.uuid4(),
            "u": bob.owner_id,
            "actor": team["users"]["alice"].db_role,
        }
        assert "row-level security" in refused(conn, insert, as_alice)
    assert len(alice.audit.events()) == 1


def test_erasing_a_recruiter_keeps_only_the_fact_of_it(team, alice_and_bob, tmp_path):
    _, bob = alice_and_bob
    bob.library.erase(add_resume(bob, tmp_path / "b", "Grace Hopper", ["Y"]).id)
    add_resume(bob, tmp_path / "b", "Grace Hopper Two", ["Y"])
    team["admin"].remove_user("bob", erase=True, store=bob.store)
    with team["admin"]._engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action, detail FROM audit_events WHERE user_id = :u"),
            {"u": bob.owner_id},
        ).all()
    assert [r.action for r in rows] == ["remove_user"]
    assert json.loads(rows[0].detail)["resumes"] == 1

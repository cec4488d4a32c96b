"""Testing and saving a profile, on fakes: no database, no bucket, no keyring, no Qt."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from recur_desktop.credentials import DATABASE_PASSWORD, S3_SECRET_KEY
from recur_desktop.services.profile import ProfileDraft, ProfileService
from recur_desktop.settings import Settings
from recur_desktop.storage import StorageError

SECRET = "hunter2-not-for-files"
URL = "postgresql+psycopg://alice@db.example:5432/recur"


class FakeSecrets:
    def __init__(self, where: str = "keyring") -> None:
        self.where = where
        self.stored: dict[str, str] = {}

    def set(self, name: str, value: str) -> str:
        self.stored[name] = value
        return self.where


class FakeStore:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.listed: list[str] = []

    def list(self, prefix: str) -> list[str]:
        self.listed.append(prefix)
        if self.error is not None:
            raise self.error
        return []


class Fakes:
    """Records what the service asked of the database, the store, the file and the keyring."""

    def __init__(self, *, database: str | None = None, store: FakeStore | None = None) -> None:
        self.database, self.store = database, store or FakeStore()
        self.probed: list[tuple[str, str]] = []
        self.store_secret: list[str | None] = []
        self.saved: list[Settings] = []
        self.secrets: dict[str, FakeSecrets] = {}
        self.where = "keyring"

    def probe(self, url: str, password: str) -> str | None:
        self.probed.append((url, password))
        return self.database

    def open_store(self, settings: Settings, secrets: Any) -> FakeStore:
        self.store_secret.append(secrets.get(S3_SECRET_KEY))
        return self.store

    def save(self, settings: Settings) -> Path:
        self.saved.append(settings)
        return Path("/config/settings.json")

    def secret_store(self, profile: str) -> FakeSecrets:
        return self.secrets.setdefault(profile, FakeSecrets(self.where))

    def service(self) -> ProfileService:
        return ProfileService(
            probe_database=self.probe,
            open_store=self.open_store,  # type: ignore[arg-type]
            secret_store=self.secret_store,  # type: ignore[arg-type]
            save=self.save,
        )


@pytest.fixture
def base(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def server_draft(**changes: Any) -> ProfileDraft:
    draft = ProfileDraft(
        server=True,
        db_host="db.example",
        db_name="recur",
        db_login="alice",
        database_password=SECRET,
        s3_bucket="team-resumes",
        s3_secret_access_key="s3-secret-key",
    )
    return replace(draft, **changes)


def test_a_server_that_answers_is_named_without_its_password(base: Settings):
    fakes = Fakes()
    result = fakes.service().check(server_draft(), base)
    assert result.ok
    assert result.lines == [f"Connected to {URL} and the bucket team-resumes."]
    assert fakes.probed == [(URL, SECRET)]  # the typed password, not yet saved anywhere
    assert fakes.store_secret == ["s3-secret-key"]
    assert fakes.store.listed == ["connection-test/"]
    assert fakes.saved == [] and fakes.secrets == {}  # a test writes nothing


def test_every_problem_is_one_line_with_secrets_masked(base: Settings):
    fakes = Fakes(
        database=f"Can't reach postgresql://alice:{SECRET}@db.example/recur\u202e",
        store=FakeStore(StorageError("the bucket team-resumes does not exist")),
    )
    result = fakes.service().check(server_draft(), base)
    assert not result.ok and len(result.lines) == 2
    assert SECRET not in result.lines[0] and "***" in result.lines[0]
    assert result.lines[0].endswith("\\u202e")  # shown, not obeyed
    assert result.lines[1] == "File storage: the bucket team-resumes does not exist"


def test_a_store_that_cannot_even_be_built_is_named_by_its_error_class(base: Settings):
    fakes = Fakes(store=FakeStore(ValueError("Invalid endpoint: nonsense")))
    result = fakes.service().check(server_draft(), base)
    assert result.lines == ["File storage at team-resumes can't be used (ValueError)."]


def test_an_incomplete_draft_is_explained_before_anything_is_contacted(base: Settings):
    fakes = Fakes()
    result = fakes.service().check(server_draft(db_name=" "), base)
    assert not result.ok
    assert result.lines == ["Name the database on the server (for example: recur)."]
    assert fakes.probed == [] and fakes.store_secret == []


def test_the_embedded_profile_checks_its_own_file_and_no_bucket(base: Settings):
    fakes = Fakes()
    result = fakes.service().check(ProfileDraft(server=False), base)
    assert result.ok and result.lines == [f"Connected to {base.effective_database_url}."]
    assert fakes.probed == [(base.effective_database_url, "")] and fakes.store_secret == []


def test_saving_puts_names_in_the_file_and_secrets_in_the_secret_store(base: Settings):
    fakes = Fakes()
    message = fakes.service().save(server_draft(), base)
    [saved] = fakes.saved
    assert saved.database_url == URL and saved.s3_bucket == "team-resumes"
    assert SECRET not in repr(saved)
    assert fakes.secrets["server"].stored == {
        DATABASE_PASSWORD: SECRET,
        S3_SECRET_KEY: "s3-secret-key",
    }
    assert message == (
        "Saved to /config/settings.json. Restart Recur Desktop to use these settings."
    )


def test_without_a_keyring_the_message_says_the_password_lasts_until_the_app_closes(
    base: Settings,
):
    fakes = Fakes()
    fakes.where = "memory"
    message = fakes.service().save(server_draft(), base)
    assert message.endswith("the password is kept until the app closes.")


def test_a_password_inside_the_current_address_moves_to_the_secret_store(tmp_path: Path):
    current = Settings(data_dir=tmp_path, database_url=f"{URL}?password={SECRET}")
    fakes = Fakes()
    draft = replace(ProfileDraft.of(current), database_password="")
    fakes.service().save(draft, current)
    assert fakes.saved[0].database_url == URL
    assert fakes.secrets["server"].stored == {DATABASE_PASSWORD: SECRET}


def test_switching_to_embedded_keeps_no_secret(base: Settings):
    fakes = Fakes()
    fakes.service().save(ProfileDraft(server=False, database_password=SECRET), base)
    assert fakes.saved[0].profile == "embedded"
    assert all(not secrets.stored for secrets in fakes.secrets.values())


def test_a_draft_starts_from_the_settings_without_any_secret(tmp_path: Path):
    current = Settings(
        data_dir=tmp_path,
        database_url=f"postgresql+psycopg://alice:{SECRET}@db.example:6543/recur",
        s3_bucket="team-resumes",
        user="alice",
    )
    draft = ProfileDraft.of(current)
    assert draft == ProfileDraft(
        server=True,
        db_host="db.example",
        db_port=6543,
        db_name="recur",
        db_login="alice",
        s3_bucket="team-resumes",
        user="alice",
    )
    assert ProfileDraft.of(Settings(data_dir=tmp_path)) == ProfileDraft(
        server=False, user="recruiter"
    )

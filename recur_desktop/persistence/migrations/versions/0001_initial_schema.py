"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("login_name", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("db_role", sa.String(length=63), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("db_role", name=op.f("uq_users_db_role")),
        sa.UniqueConstraint("login_name", name=op.f("uq_users_login_name")),
    )
    op.create_table(
        "job_postings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("company", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("required_skills", sa.JSON(), nullable=False),
        sa.Column("preferred_skills", sa.JSON(), nullable=False),
        sa.Column("min_years", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_job_postings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_postings")),
    )
    with op.batch_alter_table("job_postings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_postings_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "analysis_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("session_name", sa.String(length=300), nullable=False),
        sa.Column("job_posting_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("analyzer_name", sa.String(length=100), nullable=False),
        sa.Column("analyzer_version", sa.String(length=50), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("runner", sa.String(length=300), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'completed', 'failed', 'cancelled')",
            name=op.f("ck_analysis_sessions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["job_posting_id"],
            ["job_postings.id"],
            name=op.f("fk_analysis_sessions_job_posting_id_job_postings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_analysis_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_sessions")),
    )
    with op.batch_alter_table("analysis_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_analysis_sessions_user_id_job_posting_id_status",
            ["user_id", "job_posting_id", "status"],
            unique=False,
        )

    op.create_table(
        "resumes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("file_name", sa.String(length=1024), nullable=False),
        sa.Column("s3_resume_key", sa.String(length=1024), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=127), nullable=False),
        sa.Column("job_posting_id", sa.Uuid(), nullable=True),
        sa.Column("text_content", sa.Text(), nullable=False),
        sa.Column("candidate_name", sa.String(length=300), nullable=True),
        sa.Column("candidate_email", sa.String(length=320), nullable=True),
        sa.Column("candidate_phone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_posting_id"],
            ["job_postings.id"],
            name=op.f("fk_resumes_job_posting_id_job_postings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_resumes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resumes")),
        sa.UniqueConstraint(
            "user_id", "content_sha256", name=op.f("uq_resumes_user_id_content_sha256")
        ),
    )
    with op.batch_alter_table("resumes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resumes_user_id_created_at_id", ["user_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "resume_analyses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("analysis_session_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("overall_fit_score", sa.Float(), nullable=True),
        sa.Column("skill_match_score", sa.Float(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("reasoning", sa.Text(), nullable=True),
        sa.Column("matched_skills", sa.JSON(), nullable=False),
        sa.Column("missing_skills", sa.JSON(), nullable=False),
        sa.Column("analyzer_name", sa.String(length=100), nullable=False),
        sa.Column("analyzer_version", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'ok' AND overall_fit_score IS NOT NULL AND skill_match_score IS NOT NULL)"
            " OR (status = 'failed' AND overall_fit_score IS NULL"
            " AND skill_match_score IS NULL AND error IS NOT NULL)",
            name=op.f("ck_resume_analyses_scores_match_status"),
        ),
        sa.CheckConstraint("status IN ('ok', 'failed')", name=op.f("ck_resume_analyses_status")),
        sa.CheckConstraint(
            "overall_fit_score IS NULL OR (overall_fit_score >= 0 AND overall_fit_score <= 100)",
            name=op.f("ck_resume_analyses_overall_fit_range"),
        ),
        sa.CheckConstraint(
            "skill_match_score IS NULL OR (skill_match_score >= 0 AND skill_match_score <= 100)",
            name=op.f("ck_resume_analyses_skill_match_range"),
        ),
        sa.ForeignKeyConstraint(
            ["analysis_session_id"],
            ["analysis_sessions.id"],
            name=op.f("fk_resume_analyses_analysis_session_id_analysis_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            name=op.f("fk_resume_analyses_resume_id_resumes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_analyses")),
        sa.UniqueConstraint(
            "resume_id",
            "analysis_session_id",
            name=op.f("uq_resume_analyses_resume_id_analysis_session_id"),
        ),
    )
    with op.batch_alter_table("resume_analyses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resume_analyses_analysis_session_id", ["analysis_session_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("resume_analyses", schema=None) as batch_op:
        batch_op.drop_index("ix_resume_analyses_analysis_session_id")

    op.drop_table("resume_analyses")
    with op.batch_alter_table("resumes", schema=None) as batch_op:
        batch_op.drop_index("ix_resumes_user_id_created_at_id")

    op.drop_table("resumes")
    with op.batch_alter_table("analysis_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_analysis_sessions_user_id_job_posting_id_status")

    op.drop_table("analysis_sessions")
    with op.batch_alter_table("job_postings", schema=None) as batch_op:
        batch_op.drop_index("ix_job_postings_user_id_created_at")

    op.drop_table("job_postings")
    op.drop_table("users")

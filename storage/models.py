"""Tables. Timestamps are stored in UTC; the unique constraints carry the integrity rules
(one link per dossier, one answer per session and question, one send per reminder/digest key).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite has no time zones of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Unit(Base):
    """An administrative unit: a province, a commune/ward, or a department (a tree)."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    annual_dossiers: Mapped[int | None] = mapped_column(Integer)
    quota: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FlowVersion(Base):
    """An immutable published version of a flow file; sessions are pinned to one."""

    __tablename__ = "flow_versions"
    __table_args__ = (UniqueConstraint("flow_key", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flow_key: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str | None] = mapped_column(String(64))


class UnitFlow(Base):
    """Which flow version a unit uses for a form (when absent: the newest of the default)."""

    __tablename__ = "unit_flows"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    form: Mapped[str] = mapped_column(String(16), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"))


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("unit_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    code: Mapped[str] = mapped_column(String(64))
    procedure: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Desk(Base):
    """A service counter with a standing QR code: each scan starts a fresh anonymous rating
    with the desk's flow (``flow_key``), so reports can be cut by desk."""

    __tablename__ = "desks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    flow_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))


class SurveyLink(Base):
    """A single-use invitation: for one dossier, or (``desk_id``, no dossier) for one scan of
    a desk's QR code; ``token`` is the unguessable capability."""

    __tablename__ = "survey_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    short_code: Mapped[str] = mapped_column(String(8), unique=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    form: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveySession(Base):
    """One respondent's way through a flow; at most one per link (single use)."""

    __tablename__ = "survey_sessions"
    __table_args__ = (Index("ix_survey_sessions_chat", "channel", "chat_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("survey_links.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"))
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(128))
    locale: Mapped[str] = mapped_column(String(8))
    phase: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic concurrency
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    completed_week: Mapped[str | None] = mapped_column(String(8))  # ISO week, local time
    data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(255))


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("session_id", "question_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("survey_sessions.id"))
    question_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[int] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Comment(Base):
    """A free comment (góp ý) or a complaint (phản ánh) for the unit's chair; anonymous."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("survey_sessions.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    is_complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ProcessedUpdate(Base):
    """Inbound update ids already handled, so a re-delivered update records nothing twice."""

    __tablename__ = "processed_updates"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditEntry(Base):
    """Append-only: who did what, when (logins, link creation, publications, reviews)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class UnitCounter(Base):
    """Completed answers per (unit, flow version, ISO week, question, level): digests read these."""

    __tablename__ = "unit_counters"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"), primary_key=True)
    iso_week: Mapped[str] = mapped_column(String(8), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class UnitWeekStat(Base):
    """Responses started/completed, comments and complaints per unit and ISO week."""

    __tablename__ = "unit_week_stats"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    iso_week: Mapped[str] = mapped_column(String(8), primary_key=True)
    started: Mapped[int] = mapped_column(BigInteger, default=0)
    completed: Mapped[int] = mapped_column(BigInteger, default=0)
    comments: Mapped[int] = mapped_column(BigInteger, default=0)
    complaints: Mapped[int] = mapped_column(BigInteger, default=0)
    flagged: Mapped[int] = mapped_column(BigInteger, default=0)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # admin | clerk | chair | viewer
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChatBinding(Base):
    """A staff member's chat on a channel (digests and staff commands go there)."""

    __tablename__ = "chat_bindings"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BindingCode(Base):
    """A one-time code that binds the chat which opens it to a staff account."""

    __tablename__ = "binding_codes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiKey(Base):
    """A unit's key for the one-stop software; only a hash is kept."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delivery(Base):
    """An outbound message the system sends first (reminder, digest, retry of a failed send).

    ``key`` is unique (e.g. ``reminder:42:1``, ``digest:7:2026-W48:3``): recording it before
    or with the send is what makes every send happen at most once.
    """

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # pending | sent | failed | undeliverable | cancelled
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class SystemSetting(Base):
    """Small key-value settings kept in the database: the generated session secret when
    ``[web] secret_key`` is empty, and run-time settings an admin changes from the web.
    """

    __tablename__ = "system_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class OaToken(Base):
    """The Zalo OA's current token pair, one row per app. The refresh token is single-use:
    a refresh writes the new pair here (and commits) before anything uses it, under a row
    lock so that two processes never spend the same refresh token.
    """

    __tablename__ = "oa_tokens"
    app_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_token: Mapped[str] = mapped_column(Text)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResultNotice(Base):
    """The ZNS "your result is ready" notice of one survey link: claimed once, then sent,
    failed (with Zalo's code and reason, shown to the clerk) or waiting (the night ban).
    """

    __tablename__ = "result_notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("survey_links.id"), unique=True)
    tracking_id: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending|sent|failed|waiting
    error_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    msg_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RateLimit(Base):
    """A fixed-window counter per key (e.g. short-code guesses per chat)."""

    __tablename__ = "rate_limits"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ImportResult(Base):
    """A bulk import's downloadable result (CSV with the links), for the clerk who made it.

    Kept in the database so that any web process can serve the download, and deleted by the
    scheduler's housekeeping once ``expires_at`` has passed.
    """

    __tablename__ = "import_results"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # unguessable, in the URL
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

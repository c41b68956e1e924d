"""Tables. Timestamps are stored in UTC; the unique constraints carry the integrity rules
(one link per dossier, one answer per session and question, one send per reminder/digest key).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
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
    # Where respondents are served, filled into a flow's {place} ("Bộ phận Một cửa" if None).
    place: Mapped[str | None] = mapped_column(String(255))


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
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first shown (funnel)
    # A published flow picked by id (`links create --flow`); None: the unit's default.
    flow_key: Mapped[str | None] = mapped_column(String(64))


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
    completed_on: Mapped[date | None] = mapped_column(Date, index=True)  # local date
    data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(255))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # funnel
    # channel "paper": a paper form keyed in by this staff member (None for chat answers)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A keyed hash of (channel, chat id), set at completion and kept only for the repeat_chat
    # window, so "/xoadulieu" after each response cannot hide one chat answering for many.
    chat_key: Mapped[str | None] = mapped_column(String(64), index=True)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("session_id", "question_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("survey_sessions.id"))
    question_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str | None] = mapped_column(Text)  # the words of a short-text answer
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


class AnswerCount(Base):
    """Counted answers per (unit, flow version, LOCAL completion date, question, level).

    Keyed by day so that a week, a month, a quarter, a calendar year or any range is a sum of
    rows, never a re-scan of answers. A criterion is answered at most once per response, so
    these counts are also counts of people.
    """

    __tablename__ = "answer_counts"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class RespondentSum(Base):
    """Per-respondent sums for intervals over respondents: for each measure (``sipas`` or a
    factor id) the number of respondents with a personal index, its sum and sum of squares.
    """

    __tablename__ = "respondent_sums"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    squares: Mapped[float] = mapped_column(Float, default=0.0)


class UnitDayStat(Base):
    """Responses started and counted, comments and complaints per unit, LOCAL date and source
    (the channel: web, telegram, zalo_bot, zalo_oa, or paper for keyed paper forms).
    """

    __tablename__ = "unit_day_stats"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    started: Mapped[int] = mapped_column(BigInteger, default=0)
    completed: Mapped[int] = mapped_column(BigInteger, default=0)
    comments: Mapped[int] = mapped_column(BigInteger, default=0)
    complaints: Mapped[int] = mapped_column(BigInteger, default=0)


# SQLite stores these tables' rows in key order (WITHOUT ROWID): a range read is one pass
# over the key, with no second look-up per row; other databases ignore the option.
KEY_ORDERED: Final = {"sqlite_with_rowid": False}


class AnswerPeriodCount(Base):
    """``answer_counts`` summed per calendar month (``grain`` "month") and per ISO week
    (``grain`` "week"); ``first_day`` is the period's first LOCAL date.

    Kept by the same writes as the day rows, so that a year reads 12 rows per key, a
    12-week trend 12, and only a partial period's edges read days. One twin table per
    counter with a grain column rather than a table per grain: a response's week and month
    rows go in one multi-row upsert (one statement more per counter table, not two). A
    table apart from the day rows: a reader that sums day rows can never count twice.
    """

    __tablename__ = "answer_period_counts"
    __table_args__ = KEY_ORDERED
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"), primary_key=True)
    grain: Mapped[str] = mapped_column(String(8), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class RespondentPeriodSum(Base):
    """``respondent_sums`` summed per month and per ISO week (see ``AnswerPeriodCount``)."""

    __tablename__ = "respondent_period_sums"
    __table_args__ = KEY_ORDERED
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"), primary_key=True)
    grain: Mapped[str] = mapped_column(String(8), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    squares: Mapped[float] = mapped_column(Float, default=0.0)


class UnitPeriodStat(Base):
    """``unit_day_stats`` summed per month and per ISO week (see ``AnswerPeriodCount``)."""

    __tablename__ = "unit_period_stats"
    __table_args__ = KEY_ORDERED
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    grain: Mapped[str] = mapped_column(String(8), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    started: Mapped[int] = mapped_column(BigInteger, default=0)
    completed: Mapped[int] = mapped_column(BigInteger, default=0)
    comments: Mapped[int] = mapped_column(BigInteger, default=0)
    complaints: Mapped[int] = mapped_column(BigInteger, default=0)


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
    # Raised by logout, a password reset and deactivation: a staff session remembers the
    # generation it was opened in and is refused once the two differ.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


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
    """Small key-value settings kept in the database: run-time settings an admin changes
    from the web (never a secret: the session key lives in a key file, see docs/staff.md).
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


class Publication(Base):
    """A unit's results for one period, put on its public page (``/p/{unit}``).

    Only the decision is stored, never a copy of the figures: the page computes them from the
    counters like every other report, so the page, the exports and the digests cannot
    disagree. Withdrawing keeps the row (who published and withdrew it, and when).
    """

    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("unit_id", "period_label"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_label: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))


class ResponseFlag(Base):
    """Why a response may not be genuine (answered too fast, from a staff chat or browser or
    the office network, or from one chat across many dossiers). A flagged response is kept but
    left out of every figure until each of its flags is reviewed with the decision "keep".
    """

    __tablename__ = "response_flags"
    __table_args__ = (UniqueConstraint("session_id", "flag"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("survey_sessions.id"), index=True)
    flag: Mapped[str] = mapped_column(String(32), index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str | None] = mapped_column(String(16))  # keep | exclude
    reason: Mapped[str | None] = mapped_column(Text)


class RecheckDraw(Base):
    """A re-verification (phúc tra) sample drawn for a unit (and the units below it) and a
    period: reproducible from ``seed`` over the counted responses sorted by id.
    """

    __tablename__ = "recheck_draws"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_label: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    share: Mapped[int] = mapped_column(SmallInteger)
    seed: Mapped[int] = mapped_column(BigInteger)
    population: Mapped[int] = mapped_column(Integer)
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_by: Mapped[str] = mapped_column(String(64))


class RecheckItem(Base):
    """One response of a draw: in the sample, or on the reserve list (called when a sample
    respondent cannot be reached). ``outcome``: confirmed | denied | unreachable.
    """

    __tablename__ = "recheck_items"
    __table_args__ = (UniqueConstraint("draw_id", "session_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("recheck_draws.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("survey_sessions.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # sample | reserve
    position: Mapped[int] = mapped_column(Integer)  # order within its role
    called: Mapped[bool] = mapped_column(Boolean, default=False)  # on the call list
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("recheck_items.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_by: Mapped[str | None] = mapped_column(String(64))


class Complaint(Base):
    """A report / petition (phản ánh, kiến nghị) written at the end of a survey, as a work item:
    new → in_progress → answered, with a due date, an assignee the chair picks among the
    unit's staff, the answer sent back to the citizen, and an optional public version.

    It carries no identity of the citizen: the way back to their chat is the survey session,
    read only when the answer is sent.
    """

    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("survey_sessions.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # new | in_progress | answered
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    # how the answer reached the citizen: chat | web | none (no way back: data deleted)
    answer_route: Mapped[str | None] = mapped_column(String(16))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    public_text: Mapped[str | None] = mapped_column(Text)  # the complaint as the chair publishes it
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

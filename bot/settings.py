"""One typed settings object: settings.toml (or --config FILE), then SIPAS__SECTION__KEY.

Loaded once at start and passed down explicitly. Every bad value is reported in one line
that names the key, the value and what is expected, for a commune's IT officer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import time, timedelta
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

ENV_PREFIX = "SIPAS__"
DEFAULT_FILE = Path("settings.toml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SettingsError(Exception):
    """Settings cannot be used; the message is one line per problem."""


def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", str(value))
    if not match:
        raise ValueError("expected a duration such as 90s, 15m, 24h or 14d")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


def _clock(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise ValueError("expected a time of day HH:MM")
    return time(int(match.group(1)), int(match.group(2)))


def parse_quiet_hours(value: Any) -> tuple[time, time] | None:
    if value is None or (isinstance(value, tuple) and len(value) == 2):
        return value
    text = str(value).strip()
    if not text:
        return None
    parts = text.split("-")
    if len(parts) != 2:
        raise ValueError(
            'expected a range of times HH:MM-HH:MM such as "21:00-07:00", or ""'
        ) from None
    try:
        return _clock(parts[0]), _clock(parts[1])
    except ValueError:
        raise ValueError(
            'expected a range of times HH:MM-HH:MM such as "21:00-07:00", or ""'
        ) from None


def parse_weekly(value: Any) -> tuple[int, time]:
    if isinstance(value, tuple):
        return value
    parts = str(value).strip().lower().split()
    if len(parts) != 2 or parts[0][:3] not in WEEKDAYS:
        raise ValueError('expected a weekday and a time such as "mon 07:30"') from None
    try:
        return WEEKDAYS.index(parts[0][:3]), _clock(parts[1])
    except ValueError:
        raise ValueError('expected a weekday and a time such as "mon 07:30"') from None


def parse_addresses(value: Any) -> list[str]:
    """E-mail addresses as a TOML list or a comma-separated string (environment variables)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError("expected a list of e-mail addresses")
    found = [str(item).strip() for item in items if str(item).strip()]
    for address in found:
        if not re.match(r"^[^@\s]+@[^@\s]+$", address):
            raise ValueError(f"{address!r} is not an e-mail address")
    return found


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Addresses = Annotated[list[str], BeforeValidator(parse_addresses)]
QuietHours = Annotated[tuple[time, time] | None, BeforeValidator(parse_quiet_hours)]
Weekly = Annotated[tuple[int, time], BeforeValidator(parse_weekly)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(Section):
    url: str = "sqlite+aiosqlite:///data/sipas.sqlite3"

    @field_validator("url")
    @classmethod
    def known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "expected sqlite+aiosqlite:///path or postgresql+asyncpg://user:pass@host/db"
            )
        return value


class WebSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    # Empty: follows host and port (see ``follow_the_port``), so SIPAS__WEB__PORT=8081 alone
    # moves the links it prints too. Set it behind a reverse proxy or with a real domain.
    public_url: str = ""
    # Signs staff sessions. Several keys separated by commas: the first signs, the others are
    # still accepted (rotation). Empty: the keys come from ``secret_key_file``.
    secret_key: str = ""
    # One key per line, the first signs, the others are still accepted; created with a fresh
    # key and 0600 permissions when missing.
    secret_key_file: str = "data/secret.key"

    @field_validator("public_url")
    @classmethod
    def absolute_url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an absolute http:// or https:// address, or empty")
        return value.rstrip("/")

    @model_validator(mode="after")
    def follow_the_port(self) -> WebSettings:
        """No public_url: the address this server answers on, http://<host>:<port> (a
        wildcard host, 0.0.0.0 or ::, becomes 127.0.0.1: links must name a reachable host)."""
        if not self.public_url:
            host = "127.0.0.1" if self.host.strip() in ("", "0.0.0.0", "::", "[::]") else self.host
            if ":" in host and not host.startswith("["):
                host = f"[{host}]"  # an IPv6 address in a URL
            # Frozen model: set once, while validating, before anyone has read it.
            object.__setattr__(self, "public_url", f"http://{host}:{self.port}")
        return self


class LocaleSettings(Section):
    language: Literal["vi", "en"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("timezone")
    @classmethod
    def known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected a time zone name such as Asia/Ho_Chi_Minh") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ChatChannelSettings(Section):
    """What every bot-API chat channel is configured with; empty token: the channel is off."""

    token: str = ""
    base_url: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.token)


class TelegramSettings(ChatChannelSettings):
    base_url: str = "https://api.telegram.org/bot"

    @field_validator("webhook_secret")
    @classmethod
    def telegram_secret(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("expected 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value


class ZaloBotSettings(ChatChannelSettings):
    base_url: str = "https://bot-api.zaloplatforms.com/bot"

    @field_validator("webhook_secret")
    @classmethod
    def zalo_secret(cls, value: str) -> str:
        if value and not 8 <= len(value) <= 256:
            raise ValueError("expected 8-256 characters")
        return value


def _absolute_url(value: str) -> str:
    if not re.match(r"^https?://[^/\s]+", value):
        raise ValueError("expected an absolute http:// or https:// address")
    return value.rstrip("/")


class ZaloOaSettings(Section):
    """The Zalo Official Account (API v3 + OAuth v4); empty app_id: the channel is off."""

    app_id: str = ""
    app_secret: str = ""
    oa_id: str = ""
    oa_secret_key: str = ""
    refresh_token: str = ""
    api_base_url: str = "https://openapi.zalo.me"
    oauth_base_url: str = "https://oauth.zaloapp.com"
    max_event_age: Duration = timedelta(minutes=5)

    @property
    def enabled(self) -> bool:
        return bool(self.app_id)

    @field_validator("api_base_url", "oauth_base_url")
    @classmethod
    def absolute(cls, value: str) -> str:
        return _absolute_url(value)

    @field_validator("app_id", "oa_id")
    @classmethod
    def digits(cls, value: str) -> str:
        if value and not value.strip().isdigit():
            raise ValueError("expected the numeric id shown in the Zalo developer console")
        return value.strip()

    @field_validator("max_event_age")
    @classmethod
    def positive_age(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("expected a duration longer than 0s, such as 5m")
        return value

    def missing(self) -> list[str]:
        """Keys an enabled OA cannot work without (checked once the whole file is read)."""
        if not self.enabled:
            return []
        needed = ("app_secret", "oa_secret_key")
        return [key for key in needed if not getattr(self, key)]


class ZaloZnsSettings(Section):
    """ZNS (template messages by phone) for the result notice; needs the OA's access token."""

    template_id: str = ""
    base_url: str = "https://business.openapi.zalo.me"

    @property
    def enabled(self) -> bool:
        """A template id is set; loading refuses that unless [zalo_oa] is enabled too."""
        return bool(self.template_id)

    @field_validator("base_url")
    @classmethod
    def absolute(cls, value: str) -> str:
        return _absolute_url(value)

    @field_validator("template_id")
    @classmethod
    def template(cls, value: str) -> str:
        if any(c.isspace() for c in value.strip()):
            raise ValueError("expected the template id approved by Zalo (no spaces)")
        return value.strip()


class LinksSettings(Section):
    expire_after: Duration = timedelta(days=14)


class DesksSettings(Section):
    """A desk's QR code: how long a scan stays open, and how many scans one client may make."""

    answer_within: Duration = timedelta(hours=2)
    scans_per_client: int = Field(3, ge=1)
    scan_window: Duration = timedelta(minutes=10)


class RemindersSettings(Section):
    first_after: Duration = timedelta(hours=24)
    second_after: Duration = timedelta(hours=72)
    quiet_hours: QuietHours = (time(21, 0), time(7, 0))

    @model_validator(mode="after")
    def second_after_first(self) -> RemindersSettings:
        if self.second_after <= self.first_after:
            raise ValueError("second_after must be longer than first_after")
        return self


class DigestsSettings(Section):
    weekly_at: Weekly = (0, time(7, 30))


class SchedulerSettings(Section):
    tick: Duration = timedelta(seconds=60)


class ComplaintsSettings(Section):
    # The time a unit has to answer a report / petition (phản ánh, kiến nghị): the due date of
    # each work item. The seeds ask for answers "kịp thời, đúng quy định của pháp luật" without
    # a number; the province sets the legal time it applies (see docs/complaints.md).
    answer_within: Duration = timedelta(days=15)

    @field_validator("answer_within")
    @classmethod
    def positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("expected a duration longer than 0s, such as 15d")
        return value


class EmailSettings(Section):
    enabled: bool = False
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    user: str = ""
    password: str = ""
    sender: str = Field("", alias="from")
    starttls: bool = True
    timeout: float = Field(20.0, gt=0)
    digest_to: Addresses = []
    complaints_to: Addresses = []

    @model_validator(mode="after")
    def complete_when_enabled(self) -> EmailSettings:
        if self.enabled and not (self.host and self.sender):
            raise ValueError("e-mail is enabled: host and from are required")
        return self


def parse_networks(value: Any) -> tuple[str, ...]:
    """CIDR ranges, as a TOML list or (from the environment) one comma-separated text."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    networks = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        try:
            networks.append(str(ip_network(text, strict=False)))
        except ValueError:
            raise ValueError(f"{text!r} is not a CIDR range like 192.168.1.0/24") from None
    return tuple(networks)


Networks = Annotated[tuple[str, ...], BeforeValidator(parse_networks)]


class IntegritySettings(Section):
    min_seconds_per_answer: float = Field(2.0, ge=0)
    max_dossiers_per_chat: int = Field(3, ge=1)
    staff_networks: Networks = ()


class PrivacySettings(Section):
    # Phone numbers and chat ids are removed this long after the re-verification window closes.
    retention: Duration = timedelta(days=90)
    recheck_window: Duration = timedelta(days=60)


class Settings(Section):
    database: DatabaseSettings = DatabaseSettings()
    web: WebSettings = WebSettings()
    locale: LocaleSettings = LocaleSettings()
    telegram: TelegramSettings = TelegramSettings()
    zalo_bot: ZaloBotSettings = ZaloBotSettings()
    zalo_oa: ZaloOaSettings = ZaloOaSettings()
    zalo_zns: ZaloZnsSettings = ZaloZnsSettings()
    links: LinksSettings = LinksSettings()
    desks: DesksSettings = DesksSettings()
    reminders: RemindersSettings = RemindersSettings()
    digests: DigestsSettings = DigestsSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    complaints: ComplaintsSettings = ComplaintsSettings()
    email: EmailSettings = EmailSettings()
    integrity: IntegritySettings = IntegritySettings()
    privacy: PrivacySettings = PrivacySettings()


def _describe(error: Mapping[str, Any]) -> str:
    location = [str(part) for part in error["loc"]]
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        where = f"[{location[0]}] {'.'.join(location[1:])}" if len(location) > 1 else location[0]
        return f"unknown setting {where}"
    key = f"[{location[0]}] {'.'.join(location[1:])}" if len(location) > 1 else location[0]
    value = error.get("input")
    return f"setting {key} = {value!r} is not valid: {message}"


def load_settings(
    config_file: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read the file (defaults when the default file is absent), apply environment overrides."""
    data: dict[str, Any] = {}
    path = Path(config_file) if config_file is not None else DEFAULT_FILE
    if config_file is not None and not path.is_file():
        raise SettingsError(f"settings file {path} does not exist")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
    for name, value in (environ or {}).items():
        if not name.startswith(ENV_PREFIX):
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        if len(parts) != 2 or not all(parts):
            raise SettingsError(f"environment variable {name}: expected SIPAS__SECTION__KEY")
        section = data.setdefault(parts[0], {})
        if not isinstance(section, dict):
            raise SettingsError(f"environment variable {name}: [{parts[0]}] is not a section")
        section[parts[1]] = value
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError("\n".join(_describe(e) for e in exc.errors())) from None
    problems = _zalo_problems(settings)
    if problems:
        raise SettingsError("\n".join(problems))
    return settings


def _zalo_problems(settings: Settings) -> list[str]:
    """Rules across keys and sections, each reported as one line naming the key."""
    oa = settings.zalo_oa
    problems = [
        f"setting [zalo_oa] {key} is empty: it is needed when [zalo_oa] app_id is set"
        for key in oa.missing()
    ]
    if settings.zalo_zns.template_id and not oa.enabled:
        problems.append(
            f"setting [zalo_zns] template_id = {settings.zalo_zns.template_id!r} is not valid: "
            "ZNS sends with the Official Account's access token, so [zalo_oa] app_id, "
            "app_secret and oa_secret_key must be set too"
        )
    return problems

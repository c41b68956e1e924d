"""Settings: the documented file, environment overrides, and one clear line per bad value."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, parse_duration
from tests.support.cli import InProcessCli

ROOT = Path(__file__).parent.parent


def test_the_shipped_file_gives_the_documented_defaults() -> None:
    settings = load_settings(ROOT / "settings.toml", {})
    assert settings.database.url == "sqlite+aiosqlite:///data/sipas.sqlite3"
    assert settings.web.port == 8080
    assert settings.links.expire_after == timedelta(days=14)
    assert settings.reminders.quiet_hours == (time(21, 0), time(7, 0))
    assert settings.digests.weekly_at == (0, time(7, 30))
    assert settings.scheduler.tick == timedelta(seconds=60)
    assert not settings.telegram.enabled
    assert settings.integrity.min_seconds_per_answer == 2.0
    assert settings.integrity.max_dossiers_per_chat == 3
    assert settings.integrity.staff_networks == ()
    assert settings.privacy.recheck_window == timedelta(days=60)
    assert settings.privacy.retention == timedelta(days=90)


def test_staff_networks_from_the_environment() -> None:
    env = {"SIPAS__INTEGRITY__STAFF_NETWORKS": "10.1.2.0/24, 192.168.1.7,2001:db8::/32"}
    settings = load_settings(ROOT / "settings.toml", env)
    assert settings.integrity.staff_networks == ("10.1.2.0/24", "192.168.1.7/32", "2001:db8::/32")


def test_every_key_in_the_file_has_a_comment() -> None:
    lines = (ROOT / "settings.toml").read_text("utf-8").splitlines()
    for previous, line in zip(["", *lines], lines, strict=False):
        if "=" in line and not line.lstrip().startswith("#"):
            documented = "#" in line.split("=", 1)[1] or previous.lstrip().startswith("#")
            assert documented, f"undocumented setting: {line}"


def test_environment_overrides_the_file() -> None:
    settings = load_settings(
        ROOT / "settings.toml",
        {"SIPAS__WEB__PORT": "8081", "SIPAS__TELEGRAM__TOKEN": "123:ABC", "OTHER": "x"},
    )
    assert settings.web.port == 8081
    assert settings.telegram.enabled


@pytest.mark.parametrize("value", ["90s", "15m", "24h", "14d"])
def test_durations(value: str) -> None:
    assert parse_duration(value).total_seconds() > 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SIPAS__WEB__PORT": "eighty"}, "setting [web] port = 'eighty' is not valid"),
        (
            {"SIPAS__LINKS__EXPIRE_AFTER": "2 weeks"},
            "setting [links] expire_after = '2 weeks' is not valid: expected a duration such "
            "as 90s, 15m, 24h or 14d",
        ),
        ({"SIPAS__REMINDERS__QUIET_HOURS": "21-7"}, "expected a range of times HH:MM-HH:MM"),
        ({"SIPAS__DIGESTS__WEEKLY_AT": "monday"}, 'such as "mon 07:30"'),
        ({"SIPAS__LOCALE__TIMEZONE": "Mars/Olympus"}, "expected a time zone name"),
        ({"SIPAS__DATABASE__URL": "mysql://x"}, "expected sqlite+aiosqlite:///path"),
        ({"SIPAS__WEB__PROT": "1"}, "unknown setting [web] prot"),
        ({"SIPAS__WEB": "1"}, "expected SIPAS__SECTION__KEY"),
        ({"SIPAS__ZALO_BOT__WEBHOOK_SECRET": "short"}, "expected 8-256 characters"),
        (
            {"SIPAS__INTEGRITY__STAFF_NETWORKS": "10.0.0.0/8,office"},
            "setting [integrity] staff_networks = '10.0.0.0/8,office' is not valid: 'office' is "
            "not a CIDR range like 192.168.1.0/24",
        ),
        ({"SIPAS__INTEGRITY__MAX_DOSSIERS_PER_CHAT": "0"}, "[integrity] max_dossiers_per_chat"),
        ({"SIPAS__PRIVACY__RETENTION": "3 months"}, "[privacy] retention"),
    ],
)
def test_bad_values_name_key_value_and_expectation(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(ROOT / "settings.toml", env)
    assert message in str(caught.value)


def test_a_missing_config_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", {})


def test_run_with_a_bad_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(ROOT / "settings.toml"), "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"SIPAS__REMINDERS__FIRST_AFTER": "soon", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "sipas-bot: error: setting [reminders] first_after = 'soon' is not valid: expected a "
        "duration such as 90s, 15m, 24h or 14d"
    ]


ZALO_OA = {
    "SIPAS__ZALO_OA__APP_ID": "1234567890",
    "SIPAS__ZALO_OA__APP_SECRET": "app-secret",
    "SIPAS__ZALO_OA__OA_SECRET_KEY": "oa-secret",
}


def test_zalo_oa_and_zns_are_off_by_default_and_on_when_configured() -> None:
    settings = load_settings(ROOT / "settings.toml", {})
    assert not settings.zalo_oa.enabled
    assert not settings.zalo_zns.enabled
    assert settings.zalo_oa.max_event_age == timedelta(minutes=5)
    assert settings.zalo_oa.api_base_url == "https://openapi.zalo.me"
    assert settings.zalo_oa.oauth_base_url == "https://oauth.zaloapp.com"
    assert settings.zalo_zns.base_url == "https://business.openapi.zalo.me"
    on = load_settings(
        ROOT / "settings.toml", {**ZALO_OA, "SIPAS__ZALO_ZNS__TEMPLATE_ID": "250001"}
    )
    assert on.zalo_oa.enabled
    assert on.zalo_zns.enabled


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {**ZALO_OA, "SIPAS__ZALO_OA__APP_SECRET": ""},
            "setting [zalo_oa] app_secret is empty: it is needed when [zalo_oa] app_id is set",
        ),
        (
            {**ZALO_OA, "SIPAS__ZALO_OA__OA_SECRET_KEY": ""},
            "setting [zalo_oa] oa_secret_key is empty",
        ),
        ({"SIPAS__ZALO_OA__APP_ID": "abc"}, "setting [zalo_oa] app_id = 'abc' is not valid"),
        (
            {"SIPAS__ZALO_OA__MAX_EVENT_AGE": "soon"},
            "setting [zalo_oa] max_event_age = 'soon' is not valid: expected a duration",
        ),
        (
            {"SIPAS__ZALO_OA__API_BASE_URL": "openapi.zalo.me"},
            "setting [zalo_oa] api_base_url = 'openapi.zalo.me' is not valid",
        ),
        (
            {"SIPAS__ZALO_ZNS__TEMPLATE_ID": "250001"},
            "setting [zalo_zns] template_id = '250001' is not valid: ZNS sends with the "
            "Official Account's access token",
        ),
        ({"SIPAS__ZALO_ZNS__BASE_URL": "ftp://x"}, "setting [zalo_zns] base_url = 'ftp://x'"),
    ],
)
def test_bad_zalo_settings_name_the_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(ROOT / "settings.toml", env)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("env", "public_url"),
    [
        ({}, "http://127.0.0.1:8080"),
        ({"SIPAS__WEB__PORT": "8081"}, "http://127.0.0.1:8081"),
        ({"SIPAS__WEB__HOST": "0.0.0.0", "SIPAS__WEB__PORT": "9000"}, "http://127.0.0.1:9000"),
        ({"SIPAS__WEB__HOST": "::"}, "http://127.0.0.1:8080"),
        ({"SIPAS__WEB__HOST": "::1"}, "http://[::1]:8080"),
        ({"SIPAS__WEB__HOST": "192.168.1.20", "SIPAS__WEB__PORT": "80"}, "http://192.168.1.20:80"),
        (
            {"SIPAS__WEB__PORT": "8081", "SIPAS__WEB__PUBLIC_URL": "https://khaosat.example.vn/"},
            "https://khaosat.example.vn",
        ),
    ],
)
def test_public_url_follows_host_and_port_unless_set(env: dict[str, str], public_url: str) -> None:
    assert load_settings(ROOT / "settings.toml", env).web.public_url == public_url


def test_the_shipped_file_leaves_public_url_empty_and_says_why() -> None:
    text = (ROOT / "settings.toml").read_text("utf-8")
    assert 'public_url = ""' in text
    assert "Empty: http://<host>:<port>" in text


def test_links_create_prints_links_on_the_port_from_the_environment(tmp_path: Path) -> None:
    cli = InProcessCli(
        env={
            "SIPAS__DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'port.sqlite3'}",
            "SIPAS__WEB__PORT": "8081",
        }
    )
    assert cli("units", "add", "XA-A", "UBND xã A").returncode == 0
    done = cli("links", "create", "--unit", "XA-A", "--dossier", "HS-1", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["links"]["web"] == f"http://127.0.0.1:8081/s/{data['token']}"
    assert data["qr_png"].startswith("http://127.0.0.1:8081/s/")

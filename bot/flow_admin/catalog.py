"""Parsed flow versions by id (parsed once), and the default flows published at first start."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from flows.loader import load_flow_file, parse_flow
from flows.model import Flow
from storage.repos import flow_versions

DEFAULT_FLOWS = Path(__file__).resolve().parents[2] / "flows" / "data"


class FlowCatalog:
    """Versions are immutable, so a parsed version can be cached forever."""

    def __init__(self) -> None:
        self._parsed: dict[int, Flow] = {}

    def cached(self, version_id: int) -> Flow | None:
        """The parsed version if it was read before (no database needed), else None."""
        return self._parsed.get(version_id)

    async def get(self, session: AsyncSession, version_id: int) -> Flow:
        if version_id not in self._parsed:
            version = await flow_versions.get(session, version_id)
            if version is None:
                raise LookupError(f"flow version {version_id} does not exist")
            self._parsed[version_id] = parse_flow(
                version.source, f"{version.flow_key} v{version.version}"
            )
        return self._parsed[version_id]


async def publish_defaults(session: AsyncSession, now: datetime) -> list[str]:
    """Publish the bundled flows (Mẫu 01/02, the 1001-style form, the desk rating) when no
    version of their key exists yet.

    An admin's later versions are never overwritten by the files on disk.
    """
    published: list[str] = []
    flows = [(load_flow_file(path), path) for path in sorted(DEFAULT_FLOWS.glob("*.toml"))]
    # The standard forms first: the first flow of a form is its default (latest_for_form).
    for flow, path in sorted(flows, key=lambda pair: not pair[0].standard):
        if await flow_versions.latest(session, flow.key) is None:
            await flow_versions.publish(
                session,
                flow_key=flow.key,
                form=flow.form,
                source=path.read_text(encoding="utf-8"),
                now=now,
                by="system",
            )
            published.append(flow.key)
    return published

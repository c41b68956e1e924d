"""Connects the scheduler to the running product: plain schedule values from the settings,
the outbox as the sender, the flow catalog as the flow lookup, the ZNS result notices (when
configured) as the notice sender.
"""

from __future__ import annotations

from bot.services import Services
from bot.settings import Settings
from scheduler.config import Schedule
from scheduler.jobs import Jobs
from scheduler.runner import SchedulerRunner


def schedule_from(settings: Settings) -> Schedule:
    return Schedule(
        zone=settings.locale.zone,
        first_after=settings.reminders.first_after,
        second_after=settings.reminders.second_after,
        quiet_hours=settings.reminders.quiet_hours,
        weekly_at=settings.digests.weekly_at,
        tick=settings.scheduler.tick,
        complaints_url=f"{settings.web.public_url}/staff/complaints",
        recheck_window=settings.privacy.recheck_window,
        retention=settings.privacy.retention,
    )


def jobs_for(services: Services) -> Jobs:
    return Jobs(
        services.db,
        services.outbox,
        services.clock,
        services.catalog.get,
        schedule_from(services.settings),
        notices=services.links.notices,  # None unless [zalo_zns] is configured
        mailer=services.mailer,  # None unless [email] is enabled
    )


def scheduler_runner(services: Services) -> SchedulerRunner:
    """The periodic jobs, ready to ``.start()`` in the running event loop (bot.app starts one
    only in the process holding the scheduler lock)."""
    return SchedulerRunner(jobs_for(services), schedule_from(services.settings))

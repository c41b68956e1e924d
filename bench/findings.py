"""What the profiles showed where a goal is missed, and what would close it. Written by hand
from the cProfile runs the benches summarise (and from reading the code they point at); a
section prints its paragraph only when one of its goals is not met."""

TELEGRAM = """**Why ours costs more CPU per answer than the peers.** The profile of the bot's event
loop thread (above) puts SQLAlchemy first (~25 %): every answer is one transaction of about
seven statements (the update id claimed for de-duplication, the chat's open session, its
link, its answers so far, the answer inserted, the position compared-and-set, commit), each
built through the ORM and run in aiosqlite's thread. python-telegram-bot's object building
(`TelegramObject.__setattr__`, `Message.de_json`) and httpx take ~20 % for the Bot API calls.
The peers keep state in memory and do no database work at all: they are not durable per
answer, ours commits each answer before replying.

**Levers applied here** (each measured before/after in quick runs on this machine):
1. The rate limiter counted every reply in Telegram's ~30/s broadcast bucket; with two
   counted calls per answer the bot was capped at ~15 answers/s for everyone together and each
   press waited behind the others (p50 266 ms with 4 citizens). Replies now pass; what the
   bot starts on its own (reminders, digests) is still limited (`bot/channels/telegram/limits.py`).
   p50 with 4 citizens: 266 ms → 24–43 ms.
2. httpcore tried `import sniffio` on every request and failed (sniffio was not installed):
   ~9 % of the CPU. `sniffio` is now a dependency.
3. Webhook mode acknowledges a press in the webhook's HTTP answer: Bot API calls per answer
   3.5 → 2.4.

**What would close the rest.** One round trip per answer: the de-duplication claim folded
into the answer's insert (`INSERT … ON CONFLICT DO NOTHING RETURNING`), the session found by
chat from the row the answer updates (`UPDATE … WHERE chat … RETURNING`), and prebuilt Core
statements instead of ORM objects per turn (statement building, `coercions.expect`, is a
visible part of the SQLAlchemy share). Editing the pressed question into the next one would
make one Bot API call out of two, but changes how the chat reads (a filled form), so it is a
product decision, not taken here."""

WEBCHAT = """**Why.** The web server's loop thread spends ~40 % of its CPU in SQLAlchemy: a round
trip (the POST's turn, then the GET it redirects to) runs ~13 statements and ~70 greenlet
switches, each statement a hop to aiosqlite's thread; statement construction
(`coercions.expect`, ~85 calls per answer) and cache-key generation are visible on their own.
A round trip costs the server about 6–11 ms of CPU across
levels (PostgreSQL's share of the work runs in its own processes), against the ~3.2 ms the
4× goal needs. At 200 respondents (66 answers a second plus their page loads) one process is
busy well over half the time on this 2-core machine, which it shares with the load
generator, the database and other work: the p50 stays low (23–29 ms in the final run), but
arrivals that bunch up queue behind each other and the p99 lands far above 50 ms (229 ms on
SQLite, 320 ms on PostgreSQL in the final run, against 67 / 324 ms in the previous one),
varying from run to run with whatever else the shared machine does. Since the previous run
each respondent is its own browser (its own cookie jar and the signed `sipas_chat` cookie the
survey is bound to, verified on every request): not profiled apart, it is part of the figures.

**Levers applied.** Page loads read in a deferred transaction (`Database.read`) instead of
queueing for `BEGIN IMMEDIATE`, and the writers of a process take turns first come first
served instead of polling in SQLite's busy handler: SQLite at 10 at once went from ~59
answers/s and p99 1.26 s to ~75–104 answers/s and p99 0.2–0.33 s in quick runs. The four
queries every request makes (link by token, session by link, open session by chat, answers)
are built once with bind parameters: per round trip, SQLAlchemy's argument coercions went
85 → 64 and cache-key generations 10.5 → 4.4.

**What would close it.** (1) Serve the page after an answer from the turn that was just
committed instead of re-reading it on the GET (the POST/redirect/GET stays; the GET reuses a
per-token view cached for a few seconds and invalidated by the next turn): about half the
statements. (2) Prebuilt statements for the rest of the hot path too (the answer's
upsert, the position's compare-and-set, the unit's name), and Core rows instead of ORM
objects. (3) Done since: the completing answer's counters are one multi-row upsert per
counter table instead of 22 upserts. (4) On PostgreSQL,
several `run --role web` processes (the table's last web chat line: two processes against
one at 50 at once); on 2 cores shared with the load generator and PostgreSQL the gain is
bounded, on a machine with spare cores each process adds its own core.

**Two processes on PostgreSQL.** In the final run two `run --role web` processes at 50 at
once did worse than one (81 against 141 answers/s, p99 4.1 s): on 2 shared cores a second
process adds contention, not a core. **Errors on PostgreSQL.** Earlier runs showed 503s from
"deadlock detected" in the counter upserts of two responses completing at once; the counter
rows are now written in primary-key order, one multi-row upsert per table, and the final
run shows no errors on PostgreSQL."""

IMPORTS = """**Why.** Parsing is not the problem for CSV (100,000 rows in a few seconds); XLSX
parsing is openpyxl's read-only reader at roughly 0.2 ms a row. The time goes into creating
links one by one: `import_table` calls `links.create` per row, each a transaction with the
unit looked up, the dossier and link inserted, an audit row, and the link's status read back
(4–6 ms a row in the final run, 7–25 ms in earlier ones on the loaded machine), so 100,000
rows take 8 minutes or more. Memory is bounded by the whole file and all its parsed rows
held at once (RSS before and after parsing above); today `MAX_ROWS` = 5,000 (and the table
reader's 10,000-line and unpacked-size limits) refuse such a file anyway: the bench lifts
them in its worker process only.

**What would close it.** Create links in chunks of ~1,000 rows with two multi-row inserts per
chunk (dossiers, then links) and one audit row per import — the bench itself creates 1,100
links this way in well under a second — streaming rows from the parser in chunks so memory
stays flat; for XLSX a faster streaming reader (e.g. python-calamine) or CSV for files this
large."""

STARTUP = """**Why.** Most of `run`'s start is importing: `bot.app` imported in 2.7 s on the loaded
machine, of which an argon2 hash computed at import time (the login timing equaliser,
~0.3–0.6 s) and openpyxl pulling in numpy (~0.5 s). Both are now deferred to first use
(import of `bot.app` 2.7 s → 1.9 s). The rest is SQLAlchemy, aiohttp and
python-telegram-bot imports and the Alembic check at each start.

**What would close it.** Import a channel's adapter (PTB, httpx) only when that channel is
configured; check the database revision with one `SELECT version_num FROM alembic_version`
and import Alembic only when it differs from the head."""

REPORTS = """**What was done** (the previous run: digest 104.6 ms, roll-up 6.0 s, year
report 2.5 s, raw/counters 26× and 39×; on day rows only, a year was 364 rows per key).
(1) Week and month rows beside the day rows (`answer_period_counts`,
`respondent_period_sums`, `unit_period_stats`; migration `month01` fills them from the day
rows with one INSERT … SELECT … GROUP BY per grain), written by `count_response` and
`started` right after the day rows, one multi-row upsert per table in key order, so flags,
reviews and recounts move them with the same sign. A span reads its whole months and whole
ISO weeks from them and only the days left over from day rows: the year to date of week 52
is 20 rows per key instead of 361, a week 1 instead of 7, the 12-week trend 12 instead of
84. (2) One build reads each (unit, period) once: the digest's week, week before, year to
date and trend weeks are two batches of grouped queries (the trend's disjoint weeks share
one query per table, without a GROUP BY when each week is one row per key), each unit is
scored once per period, the trend's periods without per-criterion figures, and a flow's
per-question scoring rules are worked out once. (3) The raw path runs the same digest code
with `tallies.recount` in place of the counters: its scoring and text are included
(counted once, not extrapolated), so both paths produce the same figures.

**Why the roll-up still costs what it does.** It is one province with 100 communes over
the week, the week before, the year to date and 12 trend weeks: about 1,300 (unit, period)
figures, each scored from its own level counts because a parent is the volume-weighted
combination of its children, never a pooled average. The profile (above) splits the time
between turning the counter rows into tallies (~130,000 rows for the trend alone, through
aiosqlite and SQLAlchemy's row objects), scoring (`score`, `wilson`, building the figures)
and SQLite's own work (the year to date still groups ~260,000 rows). On this shared
2-core machine, loaded by four other sessions (load average 6–9 during this work), wall
times were 3–4× the process's own CPU time and swung by 2× from run to run: measured as CPU
time on the same data, the digest went from ~220–280 ms to ~55–80 ms and the roll-up to
~2.3–2.6 s; the raw/counters ratios are met because the counters path got cheaper, the raw
path being the same recount as before plus the same scoring.

**What would close it.** (1) Fetch the counter rows with the driver's own cursor (no
SQLAlchemy row objects) and pivot the levels of a question into one row in SQL: fewer and
cheaper rows to turn into tallies. (2) For a trend, ask SQL for each criterion's satisfied
and valid counts under the flow's rule instead of every level. (3) Keep the figures of
closed periods keyed by a per-unit counter generation that every counter write raises, so
that a review invalidates exactly what it changes; not done here because it adds a write to
every answer's hot path. (4) Render the chart once per week and unit and keep the PNG."""

"""What the profiles showed where a goal is missed, and what would close it. Written by hand
from the cProfile runs the benches summarise (and from reading the code they point at); a
section prints its paragraph only when one of its goals is not met."""

TELEGRAM = """**Why ours costs more CPU per answer than the peers.** The peers keep state in memory
and do no database work at all: they are not durable per answer, ours commits each answer
before replying. Before the hot-path work the profile of the bot's event loop put SQLAlchemy
first (~25 %: about seven ORM statements per answer, each run in aiosqlite's thread) and
python-telegram-bot's object building and httpx ~30 %.

**Levers applied** (each measured before/after on this machine):
1. Replies no longer pass through the ~30/s broadcast bucket of the rate limiter (what the bot
   starts on its own still does, `bot/channels/telegram/limits.py`): p50 with 4 citizens
   266 ms → 24–43 ms. `sniffio` installed (httpcore's failed import was ~9 % of the CPU).
2. Webhook mode acknowledges a press in the webhook's HTTP answer (Bot API calls per answer
   3.5 → 2.3).
3. One prebuilt read per turn (`storage/repos/survey_state.py`: the chat's open session, its
   link, its unit and its answers aggregated in SQL), a prebuilt answer upsert and
   compare-and-set (not read back); text replies as plain JSON on a kept-alive aiohttp
   session (`bot/channels/telegram/bot_api.py`); the webhook reads the update's JSON itself
   (`parse.inbound_of_json`).
4. The turn's statements go to the driver itself (`storage/driver.py`): each is a Core
   statement compiled once per dialect, run on SQLite with one call to the connection's
   thread inside the transaction SQLAlchemy began, without the async session's greenlet
   switches, execution context and result objects (on PostgreSQL they still go through the
   session: asyncpg's transaction is begun lazily by SQLAlchemy's adapter). The
   de-duplication claim and the compare-and-set return their row instead of a rowcount.
5. Polling is our own getUpdates loop over `BotApi` (`bot/channels/telegram/polling.py`):
   JSON instead of PTB's `Update` objects, and chats handled side by side (each chat's
   updates strictly in order, so a double press still records one answer) instead of PTB's
   application handling one update at a time.
6. A completed response's counter rows: one upsert per counter table built once and run as an
   executemany in key order, instead of a multi-row statement built through the ORM and
   compiled anew for every response (in the webhook profile statement compiling was most of
   SQLAlchemy's remaining share: SQLAlchemy 34 % → 21 % of the loop's CPU).

Measured with the code before and after levers 4–5, one after the other in full runs (60
citizens × 22 answers) on this 2-core machine while two other sessions ran tests and benches
(load average 4–4.6; every figure 3–4× a quiet machine's, aiogram 8.2–9.2 ms instead of
2.1 ms): polling 18.4 → 11.8 ms of bot CPU per answer (2.0× → 1.4× aiogram's), p50 1.26 s
→ 0.80 s (aiogram's 0.91–0.95 s); webhook 14.0 → 11.1 ms (1.5× → 1.35× aiogram's), p50
1.03 s → 0.54 s. A last full run with lever 6 too (load average 4.3–4.8): polling 11.3 ms,
webhook 10.8 ms, aiogram 8.5 ms (1.33× and 1.27× aiogram's). The p99 stayed above aiogram's
in every one of these loaded runs (2.0–2.3 s against 1.7 s), as did the p50 in the last one:
with the machine's run queue at twice its cores, latency follows whatever else runs.

**What would close the rest.** The profile of the webhook now spreads the loop's CPU over
the event loop and aiohttp (two HTTP calls out and one in per answer, ~30 %), SQLAlchemy
(~21 %: the transaction itself, BEGIN IMMEDIATE through `exec_driver_sql`, the session's
begin, commit and close as greenlet hops, and the ORM on the rare paths: a new response, a
completed one) and our own code. (1) A transaction without the async session on the hot path
(BEGIN, the four statements and COMMIT on the driver, the ORM session opened only for the
rare paths) would remove most of what SQLAlchemy still costs per answer. (2) On PostgreSQL,
the de-duplication claim folded into the compare-and-set (`WITH … INSERT … ON CONFLICT …
RETURNING`) would save a round trip; not done here, the bench measures Telegram on SQLite.
(3) Editing the pressed question into the next one would make one Bot API call out of two,
but changes how the chat reads (a filled form): a product decision, not taken."""

WEBCHAT = """**Why.** Before the hot-path work the web server's loop spent ~40 % of its CPU in
SQLAlchemy: a round trip (the POST's turn, then the GET it redirects to) ran ~13 statements
and ~70 greenlet switches, each statement a hop to aiosqlite's thread. At 200 respondents (66
answers a second plus their page loads) one process is busy well over half the time on this
2-core machine, which it shares with the load generator, the database and other work:
arrivals that bunch up queue behind each other and the p99 lands far above 50 ms, varying
from run to run with whatever else the shared machine does.

**Levers applied.** (1) Writers of a process take turns first come first served; page loads
never queue for `BEGIN IMMEDIATE`. (2) One prebuilt Core query (`storage/repos/survey_state.py`)
reads the link, its unit, its session and the session's answers (aggregated in SQL); the
answer's upsert and the position's compare-and-set are prebuilt and not read back. (3) Jinja2
no longer stats every template on each page. (4) The hot statements go to the driver itself
(`storage/driver.py`, compiled once per dialect with SQLAlchemy's type conversions): the
GET's page is one SELECT without a transaction (`Database.fetch_one`: on SQLite a read-only
connection of the process's own, one call to its thread; on PostgreSQL a pooled connection,
no BEGIN and COMMIT), read fresh on every load, so several web processes never show a stale
page (tested with two servers taking turns); the POST's read, upsert and compare-and-set run
on the transaction's own sqlite3 connection. The rare pages (a first opening, a finished
survey, another browser's) still read through the session. (5) On PostgreSQL
`pool_pre_ping` (BEGIN, a no-op and ROLLBACK: three round trips at every checkout, two
checkouts per round trip) is replaced by a check of connections idle for 2 s; a turn whose
connection died runs again on a fresh one (tested by terminating the pool's connections
mid-survey, and by the restart test). (6) A completed response's counters: one prebuilt
upsert per table run as an executemany, not a statement compiled anew per response.

Measured with the code before and after levers 4–5 run alternately (flat out, 4 s per level,
twice each) while two other sessions ran tests and benches (load average 3.4–3.7, figures
3–5× a quiet machine's): SQLite, 10 at once, 14.1–15.9 → 7.9–8.7 ms of server CPU per answer
(35–53 → 82–100 answers/s), 1 at once 17.0–17.2 → 11.6–13.8 ms; PostgreSQL (load average
4.3–5.2), 1 at once 17.1–17.4 → 11.2–11.6 ms, 10 at once 10.2–16.0 → 10.0–10.9 ms. In full
bench runs on the same loaded machine the SQLite best level went 12.6 ms (before) → 9.5 ms
(levers 4–5) → 7.3 ms (all six; 137 answers per CPU-second, load average 5.7–6.0), and
PostgreSQL's 9.0 → 9.2 ms, within the run-to-run noise of those runs. The goals are not met in
them: the paced p99 is seconds with the machine's run queue at two to three times its cores;
the quiet-machine run this morning, before any hot-path work, gave 229 ms (SQLite) and 320 ms
(PostgreSQL) and 6.2 ms of CPU per answer.

**What would close it.** (1) The rest of SQLAlchemy on the POST: the transaction itself
(BEGIN IMMEDIATE through `exec_driver_sql`, the session's begin, commit and close, each a
greenlet hop and a trip to the driver's thread); a hot-path transaction on the driver alone,
with the ORM session opened only for the rare paths, would remove it. (2) Serving the GET
after the POST from the view the turn computed was not taken: to be sure another web process
has not moved the survey meanwhile it needs a read of the session's version, which costs
about what the page's single read costs now. (3) The rest of a round trip is aiohttp (two
requests, cookies, the form, five middlewares), Jinja2 and the event loop: several
`run --role web` processes on PostgreSQL add a core each on a machine with spare cores; on 2
cores shared with the load generator and PostgreSQL they add contention instead.

**Errors on PostgreSQL.** Earlier runs showed 503s from "deadlock detected" in the counter
upserts of two responses completing at once; the counter rows are written in primary-key
order, one prebuilt upsert per table."""

IMPORTS = """**Done.** Links are made a chunk of 1,000 rows at a time (one transaction: one
query for what exists, one multi-row insert of dossiers, one query per unique column so that
only a colliding token or short code is drawn again, one multi-row insert of links, one audit
row), instead of one transaction of about eight statements per row (4–6 ms a row, 465 s and
547 s for 100,000 rows in the run before). The parser process writes its chunks to a temporary
file and the importer reads them back one at a time, so memory no longer holds every row;
XLSX is read by python-calamine (a 100,000-row sheet in about a second, openpyxl's read-only
reader took 10–30 s and met the reader's 30-second limit on the loaded machine) when the
sheet's grid is bounded, by openpyxl otherwise. `MAX_ROWS` is 100,000; the unpacked-size,
column, cell and time limits stay.

**Why it is still over 10 s.** The CPU line above is the cause: the work is sequential (the
file is read whole before any link is made, so that a file refused half-way creates nothing)
and all of it runs in Python. In a cProfile of a 20,000-row import the event loop's time goes
to SQLAlchemy's per-row parameter handling (`_init_compiled`, `construct_params`: about a
third; the dates are already converted once a chunk, not once a row), building the result
CSV (invitation text, channel links, csv writer: about a fifth) and drawing tokens and short
codes; the database thread (SQLite inserting into six indexes) and the parser (field checks
per cell) take the rest. On this machine (2 cores, load average 6 from other work during the
run) the wall time is three to four times the CPU time.

**What would close it.** (1) Hand each chunk to the driver's `executemany` (or `COPY` on
PostgreSQL) instead of SQLAlchemy's per-row parameters; (2) keep (row, token, short code)
per row and render the result CSV when it is downloaded; (3) overlap reading and linking on
the second core, with a quick first pass that checks the file's limits so that a refused file
still creates nothing."""

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

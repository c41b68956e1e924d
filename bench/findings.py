"""What the profiles showed where a goal is missed, and what would close it. Written by hand
from the cProfile runs the benches summarise (and from reading the code they point at); a
section prints its paragraph only when one of its goals is not met."""

TELEGRAM = """**Why ours costs more CPU per answer than the peers.** Before the hot-path work the
profile of the bot's event loop thread put SQLAlchemy first (~25 %): every answer was one
transaction of about seven statements (the update id claimed, the chat's open session, its
link, its answers so far, the answer inserted, the position compared-and-set and read back,
the unit), each built through the ORM and run in aiosqlite's thread; python-telegram-bot's
object building (`TelegramObject.__setattr__`, `Message.de_json`: ~365 attribute sets per
press, for the update and for the result of every call) and httpx took ~30 %. The peers keep
state in memory and do no database work at all: they are not durable per answer, ours commits
each answer before replying.

**Levers applied here** (each measured before/after on this machine):
1. The rate limiter counted every reply in Telegram's ~30/s broadcast bucket; with two
   counted calls per answer the bot was capped at ~15 answers/s for everyone together and each
   press waited behind the others (p50 266 ms with 4 citizens). Replies now pass; what the
   bot starts on its own (reminders, digests) is still limited (`bot/channels/telegram/limits.py`).
   p50 with 4 citizens: 266 ms → 24–43 ms.
2. httpcore tried `import sniffio` on every request and failed (sniffio was not installed):
   ~9 % of the CPU. `sniffio` is now a dependency.
3. Webhook mode acknowledges a press in the webhook's HTTP answer: Bot API calls per answer
   3.5 → 2.4.
4. One query per turn instead of four reads (`storage/repos/survey_state.py`): the chat's open
   session, its link, its unit and its answers (aggregated in SQL) in one prebuilt Core
   statement; the answer's upsert and the de-duplication claim built once per dialect; the
   position's compare-and-set prebuilt and not read back. An answer is now BEGIN, the claim,
   the read, the upsert, the compare-and-set, COMMIT.
5. Text replies (sendMessage, the echo's editMessageText, keyboards, answerCallbackQuery)
   go out as plain JSON on a kept-alive aiohttp session (`bot/channels/telegram/bot_api.py`)
   instead of through PTB and httpx, whose answers were parsed into objects nobody read; the
   webhook reads the update's JSON itself (`parse.inbound_of_json`) instead of
   `Update.de_json`. PTB still connects, polls, registers the webhook and sends photos.
   Levers 4 and 5 together, 10 citizens × 22 answers, the code before and after run one
   after the other on the loaded machine: webhook 34–37 → 13–18.5 ms of bot CPU per answer,
   p99 2.0 s → 0.8 s; polling 49 → 22 ms, p99 2.0 s → 0.78 s. In a full run on the same
   loaded machine (every figure 3–4× a quiet machine's) ours (webhook) spent 1.4× aiogram's
   CPU per answer (12.6 against 9.2 ms) where it spent 4.2× before, and polling 2.2×
   (20.3 ms) instead of 4.8×.

**What would close the rest.** Polling still builds PTB's `Update` for each update and PTB's
application handles updates one at a time (press → next question queues behind every other
citizen): our own getUpdates loop over `BotApi` (JSON, handled concurrently but in order per
chat) would remove both. Per answer the rest is the HTTP server and client (aiohttp), the
event loop and the four statements of the transaction, each a hop to aiosqlite's thread and
a pass through SQLAlchemy's async layer (greenlets): a driver call per statement without the
session layer, or the claim folded into the compare-and-set on PostgreSQL
(`WITH … INSERT … ON CONFLICT … RETURNING`), would cut further. Editing the pressed question
into the next one would make one Bot API call out of two, but changes how the chat reads (a
filled form), so it is a product decision, not taken here."""

WEBCHAT = """**Why.** Before the hot-path work the web server's loop thread spent ~40 % of its CPU
in SQLAlchemy: a round trip (the POST's turn, then the GET it redirects to) ran ~13 statements
and ~70 greenlet switches, each statement a hop to aiosqlite's thread; statement construction
(`coercions.expect`, ~74 calls per answer) and cache-key generation were visible on their
own, and the position's compare-and-set read the whole row back. At 200 respondents (66
answers a second plus their page loads) one process is busy well over half the time on this
2-core machine, which it shares with the load generator, the database and other work:
arrivals that bunch up queue behind each other and the p99 lands far above 50 ms, varying
from run to run with whatever else the shared machine does.

**Levers applied.** (1) Page loads read in a deferred transaction (`Database.read`) instead
of queueing for `BEGIN IMMEDIATE`, and the writers of a process take turns first come first
served instead of polling in SQLite's busy handler. (2) One prebuilt Core query
(`storage/repos/survey_state.py`) reads the link, its unit, its session and the session's
answers (aggregated in SQL) as plain values, for the POST's turn and for the GET's page; the
answer's upsert and the position's compare-and-set are prebuilt too, and the compare-and-set
is not read back. A round trip is now 6 statements instead of ~13 (POST: read, upsert,
compare-and-set; GET: read), `coercions.expect` ~9 calls per answer instead of ~74, and
SQLAlchemy's share of the loop's CPU ~25 % instead of ~38 %. ORM rows are still read on the
rare paths (a new response, a completing one). (3) Jinja2 no longer stats every template on
each page. Measured with the code before and after run one after the other on the loaded
machine (10 at once, 6 s, twice each): SQLite 31–36 → 14.5–16 ms of server CPU per answer and
13–14 → 32 answers/s; PostgreSQL 31–32 → 13–14 ms and 12–14 → 24 answers/s; the p99 of
those runs 1.0–1.2 s → 0.5–0.75 s (SQLite) and 2.1–2.4 s → 1.0–1.2 s (PostgreSQL). The
completing answer's counters are one multi-row upsert per counter table instead of 22.

**What would close it.** (1) Each statement still costs a hop to aiosqlite's thread and a
pass through SQLAlchemy's async session (greenlets) — BEGIN, the statement, COMMIT: the GET's
single read could run without a transaction of its own (a single SELECT is consistent by
itself), and the hot statements could go to the driver without the session layer. (2) The
GET after the POST could be served from the view the turn just computed (POST/redirect/GET
stays), checked against the session's version so that several processes never show a stale
page. (3) The rest of a round trip is aiohttp (two requests, cookies, the form) and the event
loop: several `run --role web` processes on PostgreSQL add a core each on a machine with spare
cores; on 2 cores shared with the load generator and PostgreSQL they add contention instead.

**Errors on PostgreSQL.** Earlier runs showed 503s from "deadlock detected" in the counter
upserts of two responses completing at once; the counter rows are now written in primary-key
order, one multi-row upsert per table."""

IMPORTS = """**Done.** Links are made a chunk of 1,000 rows at a time (one transaction: one
query for what exists, one multi-row insert of dossiers, one query per unique column so that
only a colliding token or short code is drawn again, one multi-row insert of links, one audit
row). XLSX is read by python-calamine when the sheet's grid is bounded, by openpyxl otherwise;
`MAX_ROWS` is 100,000; the unpacked-size, column, cell and time limits stay. In this round,
after a cProfile of the event loop (bench/profiling.py) on a 20,000-row import: (1) a chunk's
statements go to the driver with their parameters as they are (`storage/repos/driver_rows.py`:
aiosqlite or asyncpg, on the session's own connection, so in its transaction and savepoint)
instead of through SQLAlchemy's per-row parameter handling; (2) a chunk's tokens and short
codes are drawn from one `os.urandom` read (a system call a value was about a seventh of the
loop's time; short codes stay uniform below 31⁶ by rejection), and a result line's invitation
is rendered with the settings, channels and texts looked up once a chunk; (3) the parser
process reads the file once to check every limit that refuses a file as a whole, then parses it
again and streams each chunk over a private Unix socket as it is parsed, so linking overlaps
parsing on the second core and a file refused half-way still creates nothing; (4) the table
reader's per-cell work is shorter (ASCII text is already NFC), which the checking pass, on the
critical path, needs most (100,000 rows: CSV 1.0 → 0.7 s, XLSX 3.0 → 2.0 s); (5) chunks are
still linked one transaction at a time in the file's order, but a chunk's result lines are
written while the next chunk's statements run in SQLite's thread. In the profile the loop's CPU
went 10.5 s → 4.6 s (cProfile's overhead included). Measured with this bench on the shared
machine, load average 4–6.5 from the other helpers' work during every run, so wall times
differed by up to half between runs and CPU is the steadier figure; before → after (the last
three runs): CSV 46.0 s → 23.9–30.1 s wall, CPU 21.7 s → 18.2–18.9 s (event loop 10.0 → 7.1–7.5
s, database thread 5.9 → 5.0–5.4 s, parser 5.8 → 5.8–6.1 s); XLSX 32.8 s → 22.6–34.3 s wall,
CPU 23.8 s → 22.0–23.3 s (loop 10.3 → 8.0 s, database 6.5 → 5.7 s, parser 7.0 → 8.3–9.6 s, as
the file is now read twice); import process peak RSS 162 → 158 MiB, result CSV 39 MiB. Under
this load, the effect of (5) could not be told apart from the noise.

**Why it is still over 10 s.** Two cores carry three workers: the parser process, the event
loop and SQLite's thread, 18–23 s of CPU together, so even a quiet machine with perfect overlap
would need about 9–11 s. Timed apart on the loop (100,000 rows): rendering the result CSV 2.5
s, the chunks' transactions 3.5 s (building the parameters, the few statements, the savepoint
and audit row, the BatchLink of each row), reading the chunks and building the rows the rest;
SQLite itself (200,000 rows into seven indexes, two on random keys) is about 4 s of CPU,
measured with sqlite3 alone.

**What would close it.** (1) Render the result CSV when it is downloaded: keep (row, token,
short code, status, note) a line (about 60 bytes instead of 400) and write the invitation text
and channel links at download time: 2.5 s of the loop and most of the 39 MiB out of the import;
(2) let the checking pass keep the rows it read, projected to the five known columns, so an
XLSX is unpacked once (about 2 s of the parser); (3) fewer objects a row on the loop (the rows
arrive as dataclasses, become NewDossier, then BatchLink: plain tuples would do); (4) on
PostgreSQL, `copy_records_to_table` into a temporary table and one INSERT … SELECT … RETURNING."""

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

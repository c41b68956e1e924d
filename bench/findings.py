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

STARTUP = """**Why.** Start is importing. On the fast host `run` served in 1.2 s; on the
slow one (see the CPU speed rows) importing `bot.app` alone takes 2.3–2.5 s of CPU. `python -X
importtime -c "import bot.app"` (load average 4): SQLAlchemy 0.5 s, aiohttp 0.4 s, the staff
pages' modules 0.3 s, the declarative model classes 0.2 s, the settings 0.2 s. Checking the
database and the default flows afterwards takes tens of milliseconds. The Telegram and Zalo
adapters are not imported unless their channel is configured. Done: fpdf (posters, slips),
matplotlib (only looked up for its DejaVu fonts) and openpyxl (the import template) are imported
when a PDF, chart or template is made, not at start (about a second of it on the slow host), and
an up-to-date database is recognised from its `alembic_version` stamp (`storage.db.SCHEMA_HEAD`,
kept equal to Alembic's head by a test) without loading Alembic and its scripts; earlier, the
login equaliser's argon2 hash moved to first use.

**What would close it.** Register the staff pages' routes with handlers imported on first
request, and build the ORM model classes' mappers lazily; the libraries' own import time
(SQLAlchemy, aiohttp) is about a second of a start on the slow host whatever our code does."""

REPORTS = """**What was done before** (run of the stats change: digest 104.6 ms, roll-up 6.0 s;
then, on week and month rows, digest 59.5 ms, roll-up 2.75 s at load ~2). (1) Week and month
rows beside the day rows (`answer_period_counts`, `respondent_period_sums`,
`unit_period_stats`; migration `month01`), written by `count_response` and `started` right
after the day rows in one multi-row upsert per table: a span reads its whole months and
weeks from them and only the days left over from day rows (the year to date of week 52 is
20 rows per key, a week 1, the 12-week trend 12). (2) One build reads each (unit, period)
once, in two batches of grouped queries, and scores each unit once per period. (3) The raw
path runs the same digest code with `tallies.recount` in place of the counters.

**Done in this round** (each figure checked identical, to the last bit of every float and
every character of the text, against the code before it on the same million responses).
(1) A province's trend reads its answer counts pivoted (`storage/repos/level_counts.py`):
the database sums a question's levels 0-5 into one row per unit and week, grouped in the
primary key's order (no sort), and reads other levels (numbers, multiple-choice masks) in a
second query only when there are some: the trend's 132,000 level rows reach Python as
26,400. It is used from 100 unit-spans up: for one commune its longer statement cost more
than the rows it saved. (2) A trend's figures are scored without criterion objects
(`flows.scoring.score(criteria=False)`, the same arithmetic), and each unit's figures are
built once instead of built and copied. The span machinery moved to `storage/repos/spans.py`.
Tried and dropped: reading the rows through the driver's own cursor (`exec_driver_sql`) took
as long as SQLAlchemy Core (the cost is SQLite's per-row work, not the row objects); the
year to date pivoted per date was slower (about 44,000 rows to add up in Python instead of
the database's sort), so it keeps the grouped read. Not taken: asking SQL for each
criterion's satisfied and valid counts (after the pivot the trend is one row per question
already; what is left is SQLite reading the rows).

**Measured** (full-size runs of `python -m bench --only reports` on this 2-core machine
shared with other sessions; the run before this round was at load ~2): at load 3.6-4.9,
digest 74.6 ms, roll-up 2.59 s, raw/counters 88× and 329×; the last run, at load 4.8-6.3,
digest 168 ms, roll-up 5.1 s, raw/counters 124× and 249× (the same code, twice the load,
twice the times). On the same data in one process,
alternating the code before and after this round: the trend's tally of 101 units went from
~710 ms to ~460-640 ms of CPU, the roll-up from 1.55-2.4 s to 1.56-2.0 s of CPU (wall times
were twice the CPU times at these loads and swung by 40 % from run to run); the digest of
one commune measured 36-53 ms wall at load ~2.3, 75 ms at load 4. The gain is real but
small: the digest's goal is met only on a quieter machine and the roll-up's is not.

**What still costs, and what would close it.** A roll-up reads ~350,000 counter rows (the
trend's 132,000, the year to date's ~220,000 grouped by SQLite) at about 1 µs each in
SQLite, and scores ~1,300 (unit, period) figures: about 0.35 s of SQLite and 0.5 s of
Python on a quiet core, before any load. Reading fewer rows is the lever left:
(3) keep each (unit, period)'s tally and leaf figures keyed by a generation: a `writes`
column in `unit_day_stats` and `unit_period_stats` that the upsert `_bump` already makes on
every count, take-out and start raises by one (no extra statement on the answer path), and
that every build reads anyway with the stats rows; a (unit, span) whose sum of `writes` is
unchanged reuses what was computed, so a trend's closed weeks and the year's closed months
are read again only after a review touches them (a migration after `month01`; the bench
would then print the first build after a start and the next ones apart). (4) Render the
chart once per week and unit and keep the PNG: it is most of the digest's time with a chart
(533 ms against 75 ms)."""

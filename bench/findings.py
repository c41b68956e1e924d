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
with the machine's run queue at twice its cores, latency follows whatever else runs. Two whole
quiet runs of the final code on the slow host (16:12 and 16:21 UTC): webhook 8.3 and 9.8 ms
against aiogram's 7.5 and 8.6 ms (1.1× in both), polling 10.1 and 11.2 ms (1.3×); webhook p99
0.89 and 1.0 s against aiogram's 0.74 and 0.91 s; PTB + Pickle 13.3 and 12.4 ms.

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
the quiet-machine run this morning, on the fast host and before any hot-path work, gave 229 ms
(SQLite) and 320 ms (PostgreSQL) and 6.2 ms of CPU per answer. Two whole quiet runs of the
final code on the slow host, ten minutes apart (16:12 and 16:21 UTC): paced p99 1.4 and 3.9 s
(SQLite), 2.0 and 3.5 s (PostgreSQL); best level 8.2 and 9.4 ms of CPU per answer (SQLite),
5.8 and 7.8 ms (PostgreSQL). On that host one answer's round trip costs about as much CPU as
the fast host's did before all this work, and the paced tail follows the host's noise.

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
critical path, needs most (100,000 rows: CSV 1.0 → 0.7 s, XLSX 3.0 → 2.0 s); (5) writing a
chunk's result lines while the next chunk's statements ran was tried and taken out again (no
effect told apart from the noise; chunks are linked one at a time in the file's order).
In the profile the loop's CPU
went 10.5 s → 4.6 s (cProfile's overhead included). Measured with this bench on the shared
machine, load average 4–6.5 from the other helpers' work during every run, so wall times
differed by up to half between runs and CPU is the steadier figure; before → after (the last
three runs): CSV 46.0 s → 23.9–30.1 s wall, CPU 21.7 s → 18.2–18.9 s (event loop 10.0 → 7.1–7.5
s, database thread 5.9 → 5.0–5.4 s, parser 5.8 → 5.8–6.1 s); XLSX 32.8 s → 22.6–34.3 s wall,
CPU 23.8 s → 22.0–23.3 s (loop 10.3 → 8.0 s, database 6.5 → 5.7 s, parser 7.0 → 8.3–9.6 s, as
the file is now read twice); import process peak RSS 162 → 158 MiB, result CSV 39 MiB. Under
this load, (5) showed no effect, so the import stays sequential there.

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
one commune measured 36-53 ms wall at load ~2.3, 75 ms at load 4. Two whole quiet runs of
the same code on the slow host ten minutes apart (16:12 and 16:21 UTC) gave the digest 66.7
and 39.8 ms and the roll-up 2.19 and 1.88 s: the digest's goal sits at the edge of this
host's noise, the roll-up's is not met.

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

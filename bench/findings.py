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

REPORTS = """**Why.** Counters are now kept per LOCAL DATE (the "stats" change): a year is 364
rows per unit, question and level instead of 52, so the synthetic million responses are
2.2 million `answer_counts` rows, and the province's year tally alone (one GROUP BY over
them in SQLite) takes 1.75 s of the 6.0 s roll-up; in the previous run, on weekly counters,
the whole roll-up took 0.99 s. The profile of the roll-up (above) puts the rest in Python:
building figures (reports/ 25 %), scoring them (flows/ 21 %, `score_criterion`) and merging
tallies (storage/ 12 %, `Tally.add_answers`), ahead of SQLAlchemy (7 %): the digest builds
figures for the week, the week before, the year to date and twelve trend weeks, and for
each commune it ranks. One commune's digest (105 ms) pays the same per-period work on a
small scope (about fifteen periods, three grouped queries each). A raw recount of the same
periods costs 26× (commune) and 39× (province) the counters: below the 50× goal because the
counters path now also reads hundreds of day rows per key, and because both paths share the
scoring in Python.

**What would close it.** (1) Month rows beside the day rows (a `answer_counts`-shaped
monthly table kept by `count_response` in the same upserts), so that a year or a quarter
sums 12 rows per key and only the partial months read days: the year tally would drop by
roughly 30×. (2) Score each unit once per period and reuse it (the trend's and the
ranking's figures are pure functions of a tally; cache them per (unit, period) for closed
periods, which only change when a flag is reviewed). (3) Render the chart once per week and
unit and keep the PNG (the chart costs about as much again as the digest)."""

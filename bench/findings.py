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

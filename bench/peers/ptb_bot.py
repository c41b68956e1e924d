"""Peer 1: python-telegram-bot 22's ConversationHandler with PicklePersistence, polling.

``python -m bench.peers.ptb_bot BASE_URL TOKEN PICKLE_FILE``: the conversation state and the
answers live in ``context.user_data`` and are pickled every ``update_interval`` (60 s by
default) and at shutdown, so an answer is not durable when the reply is sent.
"""

from __future__ import annotations

import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    PicklePersistence,
)

from bench.peers.survey import CONSENT_BUTTONS, OFFER_BUTTONS, SKIP_BUTTON, load

SURVEY = load()
CONSENT, QUESTION, COMMENT, OFFER = range(4)
Context = ContextTypes.DEFAULT_TYPE


def markup(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]
                                 for label, data in buttons])  # fmt: skip


async def start(update: Update, context: Context) -> int:
    assert update.effective_chat is not None
    chat = update.effective_chat.id
    context.user_data["answers"] = {}  # type: ignore[index]
    await context.bot.send_message(chat, SURVEY.intro)
    await context.bot.send_message(chat, SURVEY.consent, reply_markup=markup(CONSENT_BUTTONS))
    return CONSENT


async def ask(update: Update, context: Context, number: int) -> None:
    assert update.effective_chat is not None
    question = SURVEY.questions[number - 1]
    await context.bot.send_message(
        update.effective_chat.id, question.text, reply_markup=markup(question.keyboard())
    )


async def consent(update: Update, context: Context) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    if query.data.endswith("|no"):
        await query.edit_message_text(SURVEY.consent)
        return ConversationHandler.END
    await query.edit_message_text(f"{SURVEY.consent}\n\n✓ Đồng ý")
    await ask(update, context, 1)
    return QUESTION


async def answer(update: Update, context: Context) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    step, value = query.data.split("|")
    number = int(step)
    context.user_data["answers"][number] = int(value)  # type: ignore[index]
    await query.answer()
    question = SURVEY.questions[number - 1]
    await query.edit_message_text(question.echo(question.text, value))
    if number < len(SURVEY.questions):
        await ask(update, context, number + 1)
        return QUESTION
    await context.bot.send_message(
        query.message.chat.id, SURVEY.comment, reply_markup=markup(SKIP_BUTTON)
    )
    return COMMENT


async def closing(update: Update, context: Context) -> int:
    """The comment's "skip" leads to the complaint offer; the offer's "no" to the thanks."""
    query = update.callback_query
    assert query is not None and query.message is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if query.data.startswith("comment|"):
        await context.bot.send_message(
            query.message.chat.id, SURVEY.complaint_offer, reply_markup=markup(OFFER_BUTTONS)
        )
        return OFFER
    await context.bot.send_message(query.message.chat.id, SURVEY.thanks)
    return ConversationHandler.END


def build(base_url: str, token: str, pickle_file: str) -> Application:  # type: ignore[type-arg]
    persistence = PicklePersistence(filepath=pickle_file)
    app = Application.builder().token(token).base_url(base_url).persistence(persistence).build()
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                CONSENT: [CallbackQueryHandler(consent, pattern=r"^consent\|")],
                QUESTION: [CallbackQueryHandler(answer, pattern=r"^\d+\|")],
                COMMENT: [CallbackQueryHandler(closing, pattern=r"^comment\|")],
                OFFER: [CallbackQueryHandler(closing, pattern=r"^offer\|")],
            },
            fallbacks=[CommandHandler("start", start)],
            name="survey",
            persistent=True,
            per_message=False,
        )
    )
    return app


if __name__ == "__main__":
    from bench.profiling import Profiler  # noqa: I001 (after the peer's own imports)
    import os

    base, token_value, pickle_path = sys.argv[1:4]
    with Profiler(os.environ.get("SIPAS_BENCH_PROFILE")):
        build(base, token_value, pickle_path).run_polling(
            poll_interval=0, timeout=1, allowed_updates=["message", "callback_query"]
        )

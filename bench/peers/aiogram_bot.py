"""Peer 2: aiogram 3's finite-state machine with MemoryStorage, polling.

``python -m bench.peers.aiogram_bot BASE_URL TOKEN``: the state and the answers live in the
dispatcher's in-memory storage; nothing survives a restart.
"""

from __future__ import annotations

import asyncio
import os
import sys

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bench.peers.survey import CONSENT_BUTTONS, OFFER_BUTTONS, SKIP_BUTTON, load
from bench.profiling import Profiler

SURVEY = load()
router = Router()


class Steps(StatesGroup):
    consent = State()
    question = State()
    comment = State()
    offer = State()


def markup(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data)]
                         for label, data in buttons]
    )  # fmt: skip


@router.message(CommandStart())
async def start(message: Message, state: FSMContext) -> None:
    await state.set_state(Steps.consent)
    await state.set_data({"answers": {}})
    await message.answer(SURVEY.intro)
    await message.answer(SURVEY.consent, reply_markup=markup(CONSENT_BUTTONS))


async def ask(query: CallbackQuery, number: int) -> None:
    assert query.message is not None and query.bot is not None
    question = SURVEY.questions[number - 1]
    await query.bot.send_message(
        query.message.chat.id, question.text, reply_markup=markup(question.keyboard())
    )


@router.callback_query(Steps.consent, F.data.startswith("consent|"))
async def consent(query: CallbackQuery, state: FSMContext) -> None:
    assert isinstance(query.message, Message) and query.data is not None
    await query.answer()
    if query.data.endswith("|no"):
        await query.message.edit_text(SURVEY.consent)
        await state.clear()
        return
    await query.message.edit_text(f"{SURVEY.consent}\n\n✓ Đồng ý")
    await state.set_state(Steps.question)
    await ask(query, 1)


@router.callback_query(Steps.question)
async def answer(query: CallbackQuery, state: FSMContext) -> None:
    assert isinstance(query.message, Message) and query.data is not None
    step, value = query.data.split("|")
    number = int(step)
    data = await state.get_data()
    data["answers"][number] = int(value)
    await state.set_data(data)
    await query.answer()
    question = SURVEY.questions[number - 1]
    await query.message.edit_text(question.echo(question.text, value))
    if number < len(SURVEY.questions):
        await ask(query, number + 1)
        return
    await state.set_state(Steps.comment)
    await query.message.answer(SURVEY.comment, reply_markup=markup(SKIP_BUTTON))


@router.callback_query(Steps.comment)
@router.callback_query(Steps.offer)
async def closing(query: CallbackQuery, state: FSMContext) -> None:
    """The comment's "skip" leads to the complaint offer; the offer's "no" to the thanks."""
    assert isinstance(query.message, Message)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    if await state.get_state() == Steps.comment.state:
        await state.set_state(Steps.offer)
        await query.message.answer(SURVEY.complaint_offer, reply_markup=markup(OFFER_BUTTONS))
        return
    await state.clear()
    await query.message.answer(SURVEY.thanks)


async def main(base_url: str, token: str) -> None:
    server = TelegramAPIServer.from_base(base_url.removesuffix("/bot"))
    bot = Bot(token, session=AiohttpSession(api=server))
    dispatcher = Dispatcher(storage=MemoryStorage())
    dispatcher.include_router(router)
    await dispatcher.start_polling(bot, polling_timeout=1, handle_signals=True)


if __name__ == "__main__":
    with Profiler(os.environ.get("SIPAS_BENCH_PROFILE")):
        asyncio.run(main(sys.argv[1], sys.argv[2]))

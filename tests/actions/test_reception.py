"""Front-desk and referral actions: who is asking, blasts and noise, other institutions'
questions."""

from __future__ import annotations

import pytest

from actions.reception import ActionAcknowledge, ActionRememberIdentity
from actions.referrals import ActionNonDjpk
from bot.tickets.taxonomy import Category, Topic
from tests.actions.trackers import labels, make_tracker, run_action, texts

pytestmark = pytest.mark.usefixtures("frozen")


async def test_non_djpk_question_is_referred_and_labelled(frozen):
    dispatcher, _ = await run_action(
        ActionNonDjpk(), make_tracker("efin saya hilang", "ask_non_djpk")
    )
    assert "1500200" in texts(dispatcher)[0]
    assert ("user-1", Topic.NON_DJPK) in labels(frozen)
    assert frozen.find() == []


async def test_blast_reply_gets_no_answer_and_is_labelled_spam(frozen):
    dispatcher, _ = await run_action(ActionAcknowledge(), make_tracker("siap", "acknowledge"))
    assert dispatcher.messages == []
    assert ("user-1", Topic.SPAM) in labels(frozen)


@pytest.mark.parametrize(
    ("text", "category", "pemda"),
    [
        ("saya dari BPKAD Kab. Brebes", Category.PEMDA, "Kab. Brebes"),
        ("kami dari pemkab lembata", Category.PEMDA, "Kab. Lembata"),
        ("saya mahasiswa", Category.AKADEMISI, None),
        ("saya dari Kemendagri", Category.KL, None),
        ("saya wartawan", Category.LAINNYA, None),
    ],
)
async def test_who_is_asking_is_remembered(frozen, text, category, pemda):
    dispatcher, events = await run_action(ActionRememberIdentity(), make_tracker(text, "introduce"))
    profile = frozen.profile("user-1", "rest")
    assert (profile.category, profile.pemda) == (category, pemda)
    assert events[0]["name"] == "user_instansi"
    assert "Silakan sampaikan" in texts(dispatcher)[0]

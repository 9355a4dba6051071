"""Chinese text uses Chinese punctuation: a half-width , : ? ; ( or ) next to a Chinese
character in a zh msgstr reads as a typo to a Chinese reader (，：？；（） are meant). Format
placeholders (%(name)s, {name}), URLs, markup and figures (12:00, 39.90) keep theirs."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")
# What keeps its half-width characters: placeholders, URLs, tags, entities.
NOT_WORDS = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[^{}]*\}|https?://\S+|<[^<>]*>|&\w+;"
)
HALF_WIDTH = re.compile(r"[,:?;()]")


def half_width_beside_chinese(text: str) -> list[str]:
    """Each half-width mark with a Chinese character next to it (blanks aside), in context."""
    words = NOT_WORDS.sub("\x00", text)
    found = []
    for mark in HALF_WIDTH.finditer(words):
        before = words[: mark.start()].rstrip(" ")[-1:]
        after = words[mark.end() :].lstrip(" ")[:1]
        if CJK.match(before) or CJK.match(after):
            found.append(words[max(0, mark.start() - 6) : mark.end() + 6].replace("\x00", "…"))
    return found


def test_the_check_finds_half_width_marks_and_leaves_placeholders_times_and_urls():
    assert half_width_beside_chinese("扣满 %(n)s 分,店铺将被限制:屏蔽") == [
        "扣满 … 分,店铺将被限制",
        "店铺将被限制:屏蔽",
    ]
    assert half_width_beside_chinese("售后响应时长(中位数)") != []
    assert half_width_beside_chinese("还没有账号?") != []
    assert half_width_beside_chinese("（共 %(count)s 条）截止 12:00，见 https://x.cn/a?b=1") == []


def test_no_chinese_message_has_half_width_punctuation_beside_chinese_text():
    path = Path(settings.BASE_DIR, "locale", "zh_Hans", "LC_MESSAGES", "django.po")
    with path.open("rb") as po:
        catalogue = read_po(po)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            problems += [f"{message.id!r}: {found}" for found in half_width_beside_chinese(text)]
    assert problems == [], "use ，：？；（） in Chinese:\n" + "\n".join(problems)

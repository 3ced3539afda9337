"""Long texts are tokenised with arrays, short ones piece by piece: both must give the very
same tokens and characters, whatever the text holds (kana punctuation inside Han runs,
underscores, combining marks, astral characters, digits of other scripts)."""

from __future__ import annotations

import random

from newsreader.store import tokens


def reference(normalised: str) -> tuple[str, str]:
    out: list[str] = []
    pieces = tokens._PIECE.findall(normalised)
    for n, (run, word) in enumerate(pieces):
        if run:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            if len(run) == 1 or (n + 1 < len(pieces) and pieces[n + 1][1]):
                out.append(run[-1])  # a run of one, or a word follows
        else:
            out.append(word)
    return " ".join(out), "".join(sorted(set(tokens._HAN_CHAR.findall(normalised))))


ALPHABET = [*"中国台湾的港ア・ー한국abcXYZ019_ -,.。，「」\n\t\u3000é\u0301ß²½ǅ٣",
            "\U00020000", "\U0001f600", "\x00", "\u30fb", "\u3040", "\u30ff", "\u4dc0", "\uf900", "\uffff"]


def test_array_forms_equal_the_piecewise_ones():
    rng = random.Random(7)
    texts = ["", " ", "中", "a", "中文", "__", "中文" * 300, "APEC 峰会 2023年，中国。" * 40]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 700))) for _ in range(1000)]
    for text in texts:
        assert tokens._array_forms(text) == reference(text), repr(text[:60])
        if len(text) >= tokens._ARRAY_FROM:
            assert tokens._tokens(text) == reference(text)[0]


def test_index_forms_and_char_tokens_of_long_and_short_texts():
    rng = random.Random(8)
    for _ in range(150):
        body = "".join(rng.choice(ALPHABET[:-10]) for _ in range(rng.randint(0, 900)))
        title = "".join(rng.choice(ALPHABET[:-10]) for _ in range(rng.randint(0, 30)))
        body_tokens, body_chars = tokens.index_forms(body)
        title_tokens, title_chars = tokens.index_forms(title)
        normal_body, normal_title = tokens.normalise(body), tokens.normalise(title)
        assert (body_tokens, body_chars) == reference(normal_body)
        assert (title_tokens, title_chars) == reference(normal_title)
        every, marked = set(body_chars) | set(title_chars), sorted(set(title_chars))
        expected = " ".join(sorted(every)) + " " + " ".join(tokens.TITLE_MARK + c for c in marked)
        assert tokens.char_tokens(title_chars, body_chars) == expected
        assert tokens.char_tokens(set(title_chars), set(body_chars)) == expected


def test_fullwidth_folding_of_long_texts_equals_the_table():
    rng = random.Random(9)
    alphabet = [*ALPHABET, "\uff01", "\uff0c", "\uff21", "\uff41", "\uff10", "\uff5e", "\uff5f", "\uff00", "\ufee0"]
    texts = ["ＡＰＥＣ（亚太）\u3000１１月：" * 30]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 900))) for _ in range(400)]
    for text in texts:
        assert tokens._fold_all_fullwidth(text) == text.translate(tokens._FULLWIDTH), repr(text[:60])

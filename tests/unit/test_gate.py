"""The resume gate: no resume turned away, most other files caught, a reason for each, bounded work.

The labelled set is described in ``tests/data/gate/corpus.py``; ``bench/gate.py`` prints the same
figures per set and per kind. The shared documents (``../shared/data``) are read in place and
their tests skip when the folder is not there.
"""

from __future__ import annotations

import pytest

from recur_desktop.extraction import GATE_KINDS, GateVerdict, judge_resume
from recur_desktop.extraction import gate as gate_module
from recur_desktop.extraction.gate import CUE_CHARS, MAX_LINE_CHARS, MAX_LINES, SAMPLE_CHARS
from tests.data.gate import corpus

# --- the labelled set ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def committed() -> list[tuple[corpus.Item, GateVerdict]]:
    return [
        (item, judge_resume(item.text, file_name=item.file_name)) for item in corpus.committed()
    ]


def test_labelled_set_is_big_enough(committed) -> None:
    gate_texts = [item for item, _ in committed if item.source == "gate"]
    assert sum(item.is_resume for item in gate_texts) >= 40
    assert sum(not item.is_resume for item in gate_texts) >= 40
    assert {item.kind for item in gate_texts} == set(GATE_KINDS)


def test_no_resume_is_turned_away(committed) -> None:
    turned_away = [
        f"{item.name}: {verdict.kind} ({verdict.reason})"
        for item, verdict in committed
        if item.is_resume and not verdict.is_resume
    ]
    assert turned_away == []


def test_at_least_nine_in_ten_non_resumes_are_caught(committed) -> None:
    others = [(item, verdict) for item, verdict in committed if not item.is_resume]
    caught = sum(not verdict.is_resume for _, verdict in others)
    let_in = [item.name for item, verdict in others if verdict.is_resume]
    assert caught / len(others) >= 0.90, let_in


def test_every_verdict_is_well_formed(committed) -> None:
    for item, verdict in committed:
        assert verdict.kind in GATE_KINDS, item.name
        assert verdict.is_resume == (verdict.kind == "resume"), item.name
        assert verdict.reason.endswith(".") and verdict.reason[0].isupper(), item.name
        assert verdict.signals["examined_chars"] <= SAMPLE_CHARS


@pytest.mark.skipif(
    not (corpus.PEER_RESUMES.is_dir() or corpus.REAL_CVS.is_dir()),
    reason=f"no shared documents in {corpus.SHARED_DATA}",
)
def test_shared_documents() -> None:
    """Every peer resume and real CV is let in; the peer job descriptions are turned away."""
    for item in corpus.shared():
        verdict = judge_resume(item.text, file_name=item.file_name)
        if item.is_resume:
            assert verdict.is_resume, f"{item.name}: {verdict.kind} ({verdict.reason})"
        else:
            assert verdict.kind == item.kind, f"{item.name}: {verdict.kind}"
        # the name is a nudge at most: the text alone decides the same
        assert judge_resume(item.text).is_resume == item.is_resume, item.name


# --- one text per kind, and its reason ----------------------------------------------------------

RESUME = """Jane Okafor
jane.okafor@example.com | +44 7700 900100 | Leeds

Experience
2020 – present  Staff Nurse, Leeds General Infirmary
2017 – 2020  Healthcare Assistant, St James's Hospital

Education
BSc Nursing, University of Leeds, 2014 – 2017

Skills
Patient care, medication administration, triage
"""

KINDS = {
    "job_ad": (
        """Staff Nurse — Leeds

We are looking for a Staff Nurse to join our ward team. You will care for adult patients
and work closely with doctors. Requirements: NMC registration, at least 1 year of experience.
We offer a competitive salary and flexible shifts. How to apply: send your CV to
jobs@hospital.example.
""",
        "This looks like a job advertisement, not a resume.",
    ),
    "readme": (
        """# wardroster

Builds rota spreadsheets for hospital wards.

## Installation

```
pip install wardroster
```

## Usage

```
wardroster --ward 12 --month 2025-03
```

## License

MIT License
""",
        "This looks like a README or software documentation, not a resume.",
    ),
    "cover_letter": (
        """Dear Hiring Manager,

I am writing to apply for the Staff Nurse position on your surgical ward. I have three years of
experience on a busy medical ward and I am keen to develop my surgical skills with your team.

I look forward to hearing from you.

Yours sincerely,
Jane Okafor
""",
        "This looks like a cover letter or another letter, not a resume. If the resume came as a "
        "separate file, import that file.",
    ),
    "invoice": (
        """INVOICE

Invoice Number: 0042
Invoice Date: 3 March 2025
Bill To: Leeds Community Trust

Training session (3 hours)      £300.00
Materials                        £45.00
Subtotal                        £345.00
VAT 20%                          £69.00
Total Due                       £414.00

Payment terms: 30 days.
""",
        "This looks like an invoice, not a resume.",
    ),
    "notes": (
        """Ward meeting notes, 4 March
Attendees: Jane, Sam, Priya, Tom

Agenda
1. Staffing over Easter
2. New infusion pumps

Action items
- Sam: publish the Easter rota by Friday
- Priya: book the pump training
""",
        "This looks like meeting notes or a to-do list, not a resume.",
    ),
    "email": (
        """From: Sam Reid <sam.reid@example.com>
To: Ward 12 <ward12@example.com>
Subject: Easter rota

Hi all,

The Easter rota is on the board. Swap requests to me by Wednesday please.

Thanks,
Sam
""",
        "This looks like an e-mail message, not a resume.",
    ),
    "recipe": (
        """Flapjacks

Ingredients
250 g oats
125 g butter
125 g brown sugar
3 tbsp golden syrup

Method
Preheat the oven to 180C. Melt the butter, sugar and syrup, stir in the oats and bake for
20 minutes or until golden.
""",
        "This looks like a recipe, not a resume.",
    ),
    "placeholder_text": (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
        "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.",
        "This is a template with placeholder text (lorem ipsum, [Your Name]), not a resume.",
    ),
    "other": (
        """The storm reached the coast after midnight. By morning the pier had lost its last two
lamps and the beach was covered in weed. Children came down with buckets to look for whatever
the sea had left, and the old dog from the café followed them along the tide line.
""",
        "This doesn't look like a resume: it has no contact details, no sections such as "
        "experience or education, and no dates of jobs or studies.",
    ),
    "too_short": ("buy milk", "The file holds only 2 words, too little to be a resume."),
}


def test_a_resume_is_let_in() -> None:
    verdict = judge_resume(RESUME)
    assert verdict.is_resume
    assert verdict.kind == "resume"
    assert verdict.reason == "This looks like a resume."
    assert verdict.signals["dated_ranges"] == 3
    assert verdict.signals["email"] == verdict.signals["phone"] == 1
    assert verdict.score >= 10


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_turned_away_with_its_reason(kind: str) -> None:
    text, reason = KINDS[kind]
    verdict = judge_resume(text)
    assert not verdict.is_resume
    assert verdict.kind == kind
    assert verdict.reason == reason


def test_every_kind_has_a_focused_test() -> None:
    assert set(KINDS) | {"resume"} == set(GATE_KINDS)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "The file holds no readable words, so it can't be a resume."),
        ("  \n\t\n ", "The file holds no readable words, so it can't be a resume."),
        ("CV", "The file holds only 1 word, too little to be a resume."),
        ("Jane Doe\njane@example.com", "The file holds only 5 words, too little to be a resume."),
    ],
)
def test_too_short_counts_the_words(text: str, reason: str) -> None:
    verdict = judge_resume(text)
    assert (verdict.kind, verdict.reason) == ("too_short", reason)


def test_rejections_name_their_cues() -> None:
    verdict = judge_resume(KINDS["job_ad"][0])
    assert "we are looking for" in verdict.cues
    assert "a hiring address (jobs@)" in verdict.cues
    assert verdict.signals["kind:job_ad"] > verdict.score
    assert judge_resume(RESUME).cues == ()


# --- when unsure, accept ------------------------------------------------------------------------


def test_a_resume_after_its_cover_letter_is_let_in() -> None:
    letter = KINDS["cover_letter"][0]
    assert judge_resume(letter + "\n" + RESUME).is_resume


def test_a_resume_quoting_a_job_ad_is_let_in() -> None:
    pasted = RESUME + "\nTarget role\n" + KINDS["job_ad"][0]
    assert judge_resume(pasted).is_resume


@pytest.mark.parametrize(
    "text",
    [
        # Russian, no contact details, no dates: beyond the vocabulary, so not turned away
        "Иван Петров\nИнженер-программист\n\nОпыт работы\nРазработчик Python в компании Яндекс."
        " Разработка сервисов поиска, оптимизация запросов к базам данных.\n\nОбразование\n"
        "Московский государственный университет, факультет вычислительной математики.\n\n"
        "Навыки\nPython, Django, PostgreSQL, Docker",
        # Chinese: each character counts as a word
        "张伟\n软件工程师\n工作经历\n在阿里巴巴担任高级后端工程师，负责支付系统的设计与开发。\n"
        "教育背景\n清华大学 计算机科学与技术 学士\n技能\nJava, Go, MySQL",
        # Hebrew prose (over 40 words: shorter texts with no evidence are "too short")
        "ישראל ישראלי מפתח תוכנה בכיר עם ניסיון רב בפיתוח מערכות מבוזרות ובהובלת צוותים קטנים"
        " בחברות הייטק בתל אביב ובחיפה. עבדתי בחברת צ׳ק פוינט כמפתח צד שרת ולאחר מכן בחברת"
        " מונדיי כראש צוות פיתוח בתחום התשלומים והחיוב. לימודים: תואר ראשון במדעי המחשב"
        " באוניברסיטה העברית בירושלים.",
    ],
)
def test_texts_in_other_scripts_are_let_in(text: str) -> None:
    assert judge_resume(text).is_resume


def test_a_short_resume_with_evidence_is_let_in() -> None:
    text = (
        "Kevin Tran\nkevin.tran@example.com (408) 555-0110\nLine cook.\n2022 - present Pho Saigon"
    )
    text += "\n2021 - 2022 Chipotle, prep cook. Food handler card."
    assert judge_resume(text).is_resume


def test_the_file_name_nudges_but_never_rejects() -> None:
    plain = judge_resume(RESUME)
    assert judge_resume(RESUME, file_name="README.md").is_resume
    assert judge_resume(RESUME, file_name="invoice_0042.pdf").is_resume
    named = judge_resume(RESUME, file_name="Jane_Okafor_CV.pdf")
    assert named.score == plain.score + 3
    assert named.signals["file_name_hint"] == 3
    # a job ad stays a job ad whatever it is called
    assert judge_resume(KINDS["job_ad"][0], file_name="cv.pdf").kind == "job_ad"


# --- bounded work -------------------------------------------------------------------------------

BIG = 2_000_000


class GuardedText(str):
    """A text that counts the characters handed out by slicing and refuses whole-text methods.

    The gate may search it with a regex (linear, in C) and slice a bounded sample from it;
    anything that copies or walks the whole text in Python (lower, split, iteration, ...) fails.
    """

    handed_out = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        piece = str.__getitem__(self, key)
        type(self).handed_out += len(piece)
        return piece

    def _refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the gate walked the whole text")

    lower = upper = casefold = split = splitlines = strip = lstrip = rstrip = _refuse
    find = rfind = index = count = replace = encode = _refuse
    __iter__ = __contains__ = _refuse


def _fill(unit: str) -> str:
    """``unit`` repeated to exactly BIG characters."""
    return (unit * (BIG // len(unit) + 1))[:BIG]


HOSTILE = {
    "one letter": _fill("a"),
    "blank lines": _fill("\n"),
    "spaces then text": " " * (BIG - len(RESUME)) + RESUME,
    "year ranges": _fill("2019-"),
    "at signs": _fill("@"),
    "digits and blanks": _fill("1 "),
    "markdown headings": _fill("# a\n"),
    "colons": _fill("a:"),
    "brackets": _fill("[your "),
    "headings": _fill("Experience\nEducation\nSkills\n"),
    "job ad words": _fill("we are looking for you will apply now "),
    "long line of words": _fill("word "),
    "resume repeated": _fill(RESUME),
    "one long e-mail": "x" * (BIG - 12) + "@example.com",
    "lorem ipsum": _fill("lorem ipsum dolor sit amet "),
    "cyrillic": _fill("опыт работы "),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_a_2_000_000_character_text_costs_a_bounded_amount_of_work(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = GuardedText(HOSTILE[shape])
    assert len(text) == BIG
    GuardedText.handed_out = 0

    seen: dict[str, list[int]] = {"fold": [], "email": [], "phone": [], "name": [], "cue": []}

    def counting(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(value: str, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen[name].append(len(value))
            return function(value, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(gate_module, "_fold", counting("fold", gate_module._fold))
    monkeypatch.setattr(gate_module, "find_email", counting("email", gate_module.find_email))
    monkeypatch.setattr(gate_module, "find_phone", counting("phone", gate_module.find_phone))
    monkeypatch.setattr(gate_module, "guess_name", counting("name", gate_module.guess_name))
    found_in = gate_module._Cue.found_in

    def counting_found_in(cue, folded: str) -> bool:  # type: ignore[no-untyped-def]
        seen["cue"].append(len(folded))
        return found_in(cue, folded)

    monkeypatch.setattr(gate_module._Cue, "found_in", counting_found_in)

    verdict = judge_resume(text)

    assert verdict.kind in GATE_KINDS
    assert GuardedText.handed_out <= SAMPLE_CHARS
    assert verdict.signals["examined_chars"] <= SAMPLE_CHARS
    assert verdict.signals.get("lines_examined", 0) <= MAX_LINES
    # folding: the sample once, then at most MAX_LINES lines of at most MAX_LINE_CHARS, a few
    # candidate phrases each, and the file name
    assert sum(seen["fold"]) <= SAMPLE_CHARS + 4 * MAX_LINES * MAX_LINE_CHARS
    for name in ("email", "phone", "name"):
        assert all(size <= SAMPLE_CHARS for size in seen[name]), name
    assert len(seen["cue"]) <= len(gate_module._PHRASE_CUES)
    assert all(size <= CUE_CHARS for size in seen["cue"])


def test_the_sample_starts_after_leading_blanks() -> None:
    verdict = judge_resume(" " * (BIG - 2000) + RESUME)
    assert verdict.is_resume
    assert verdict.signals["examined_chars"] == len(RESUME)
    assert verdict.signals["chars"] == BIG - 2000 + len(RESUME)

"""The skills vocabulary and token-boundary matching of skills in free text.

Matching works on tokens, not substrings, so that "Go" the language is not found in "go to",
"C" is not found in "C++", "C#" or "C-suite", and "Java" is not found in "JavaScript". Text is
tokenised once and every vocabulary term is looked up by its first token, which keeps a scan of
a whole resume against ~2,500 terms well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from recur_desktop.resources import resources_dir

VOCABULARY_FILE = "skills.txt"

#: A word: letters/digits joined by inner dots or apostrophes ("Node.js", "ASP.NET", "don't"),
#: an optional leading dot after a non-word (".NET") and a "++", "+" or "#" tail ("C++", "C#").
#: "&" is its own token ("R&D", "P&L"); punctuation that ends a phrase becomes a break token.
#: Hyphens, slashes and whitespace only separate words, so "test-driven" == "test driven".
_TOKENS = re.compile(
    r"(?P<w>(?:(?<![\w.])\.)?[^\W_]\w*(?:[.'\u2019][^\W_]\w*)*(?:\+\+|\+|#)?)"
    r"|(?P<amp>&)"
    r"|(?P<brk>[,;:()\[\]{}|<>\"!?\u2022\u00b7\u25cf\u25aa\u25a0\u25e6\u25ba\u2713\u27a2\u2756\u2605]"
    r"|\.(?!\w)|\s[-\u2013\u2014]\s|\n[ \t]*\n)"
)
BREAK = "\x00"
#: The same tokens without group names: ``findall`` then returns plain strings, fast.
_FLAT = re.compile(re.sub(r"\(\?P<\w+>", "(?:", _TOKENS.pattern))

#: Words after which a short, ambiguous skill name is ordinary English, not the skill.
_NOT_FOLLOWED_BY: dict[str, frozenset[str]] = {
    "Go": frozenset({"to", "live", "ahead", "back", "beyond", "through", "get", "getter", "out"}),
    "Spring": frozenset({"semester", "term", "break", "quarter", "internship", "season"}),
    "Express": frozenset({"entry", "delivery", "mail", "shipping", "checkout", "lane", "scripts"}),
    "Swift": frozenset(
        {"code", "codes", "payments", "payment", "transfer", "transfers", "network"}
    ),
    "Unity": frozenset({"health", "hospital", "church", "college", "bank"}),
    "Oracle Database": frozenset({"certified", "corporation", "corp", "university"}),
}
#: Words before which a short, ambiguous skill name is not the skill ("Vitamin C", "Plan B").
_NOT_PRECEDED_BY: dict[str, frozenset[str]] = {
    "C": frozenset({"vitamin", "grade", "section", "plan", "type", "class", "level", "hepatitis"}),
    "R": frozenset({"grade", "section", "type", "class"}),
    "Go": frozenset({"to", "will", "would", "and", "let's", "lets", "can", "must", "should"}),
}


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...]
    family: str = ""
    implies: tuple[str, ...] = ()  # skills anyone using this one also uses (React -> HTML)


@dataclass(frozen=True)
class Mention:
    """One occurrence of a skill in a text: character offsets into that text."""

    skill: str
    start: int
    end: int


@dataclass(frozen=True)
class _Term:
    tokens: tuple[str, ...]
    exact: tuple[str, ...] | None  # original spelling to compare when case matters
    skill: str


class TokenisedText:
    """A text split into tokens once, shared by every search over it."""

    __slots__ = ("text", "lower", "orig", "starts", "ends")

    def __init__(self, text: str) -> None:
        self.text = text
        found = _FLAT.findall(text)
        starts: list[int] = []
        ends: list[int] = []
        at = 0
        find = text.find
        for token in found:  # tokens are in order and never overlap
            at = find(token, at)
            starts.append(at)
            at += len(token)
            ends.append(at)
        self.orig = [
            token
            if token[0].isalnum() or token[0] == "&" or (token[0] == "." and len(token) > 1)
            else BREAK
            for token in found
        ]
        # One lower() over the joined tokens instead of one per token.
        self.lower = "\x01".join(self.orig).lower().split("\x01") if found else []
        self.starts = starts
        self.ends = ends


def tokens_of(term: str) -> list[str]:
    """A term's tokens as written (breaks dropped): the unit both sides are compared in."""
    return [m.group() for m in _TOKENS.finditer(term) if m.lastgroup != "brk"]


def _is_case_sensitive(term: str) -> bool:
    # Short names collide with ordinary words ("Go" vs "go", "R", "C", "UI" vs "ui"), and so do
    # upper-case acronyms ("SAN" vs "San Francisco", "REST" vs "rest", "SOAP" vs "soap").
    letters = term.replace(".", "").replace("+", "").replace("#", "")
    if len(letters) <= 2:
        return True
    return len(letters) <= 4 and letters.isalnum() and letters.isupper()


class SkillVocabulary:
    def __init__(self, skills: Iterable[Skill]) -> None:
        self.skills: dict[str, Skill] = {}
        self._by_term: dict[str, str] = {}
        self._first: dict[str, list[_Term]] = {}
        for skill in skills:
            key = skill.name.lstrip("=").casefold()
            if key in self.skills:
                raise ValueError(f"The skills vocabulary lists {skill.name!r} twice.")
            self.skills[key] = skill
        for skill in self.skills.values():
            exact_name = "=" + skill.name in skill.aliases
            for raw in (*(() if exact_name else (skill.name,)), *skill.aliases):
                self._add_term(raw, skill.name)
        for terms in self._first.values():
            terms.sort(key=lambda t: len(t.tokens), reverse=True)
        self._by_name = {skill.name: skill for skill in self.skills.values()}
        self.category_of = {skill.name: skill.category for skill in self.skills.values()}
        self.family_of = {skill.name: skill.family for skill in self.skills.values()}
        self.implied_by: dict[str, tuple[str, ...]] = {}
        for skill in self.skills.values():
            for implied in skill.implies:
                target = self.get(implied)
                if target is None:
                    raise ValueError(f"{skill.name!r} implies {implied!r}, which is not a skill.")
                self.implied_by[target.name] = (*self.implied_by.get(target.name, ()), skill.name)
        self._checked = frozenset(_NOT_FOLLOWED_BY) | frozenset(_NOT_PRECEDED_BY)

    def _add_term(self, raw: str, skill: str) -> None:
        exact = raw.startswith("=")
        term = raw.lstrip("=").strip()
        words = tokens_of(term)
        if not words:
            return
        owner = self._by_term.setdefault(term.casefold(), skill)
        if owner != skill:
            raise ValueError(f"The term {term!r} names both {owner!r} and {skill!r}.")
        exact = exact or _is_case_sensitive(term)
        entry = _Term(
            tokens=tuple(w.lower() for w in words),
            exact=tuple(words) if exact else None,
            skill=skill,
        )
        self._first.setdefault(entry.tokens[0], []).append(entry)

    def __len__(self) -> int:
        return len(self.skills)

    # ------------------------------------------------------------------ lookups
    def get(self, name: str) -> Skill | None:
        """The vocabulary entry for ``name`` (canonical, alias or misspelling), or None."""
        exact = self._by_name.get(name)
        if exact is not None:
            return exact
        canonical = self._by_term.get(name.strip().lstrip("=").casefold())
        return self.skills.get(canonical.casefold()) if canonical else None

    def canonical(self, name: str) -> str:
        """The vocabulary's name for ``name`` (an alias or misspelling), or ``name`` itself."""
        return self._by_term.get(name.strip().casefold(), name.strip())

    def category(self, name: str) -> str:
        skill = self.get(name)
        return skill.category if skill else "other"

    def family(self, name: str) -> str:
        skill = self.get(name)
        return skill.family if skill else ""

    def terms_for(self, name: str) -> list[str]:
        skill = self.get(name)
        if skill is None:
            return [name.strip()]
        return [t.lstrip("=") for t in (skill.name, *skill.aliases)]

    # ------------------------------------------------------------------ scanning
    def scan(self, text: str | TokenisedText) -> list[Mention]:
        """Every vocabulary skill occurrence in ``text``, longest term first at each position."""
        tok = text if isinstance(text, TokenisedText) else TokenisedText(text)
        lower, orig, first, checked = tok.lower, tok.orig, self._first, self._checked
        found: list[Mention] = []
        n = len(lower)
        free = 0  # tokens before this one belong to a term already found
        # Only tokens that start some term are looked at (a few in ten).
        for i in [i for i, word in enumerate(lower) if word in first]:
            if i < free:
                continue
            for term in first[lower[i]]:
                size = len(term.tokens)
                if i + size > n:
                    continue
                if size > 1 and tuple(lower[i : i + size]) != term.tokens:
                    continue
                if term.exact is not None and tuple(orig[i : i + size]) != term.exact:
                    continue
                if (term.skill in checked or len(orig[i]) == 1) and not _context_ok(
                    tok, i, i + size, term.skill
                ):
                    continue
                found.append(Mention(term.skill, tok.starts[i], tok.ends[i + size - 1]))
                free = i + size
                break
        return found

    def find_all(self, text: str) -> set[str]:
        """Canonical names of every vocabulary skill mentioned in ``text``."""
        return {m.skill for m in self.scan(text)}

    def mentions(self, text: str, skill_name: str) -> bool:
        """Does ``text`` mention ``skill_name`` (or one of its aliases) on token boundaries?"""
        return bool(self.find(text, skill_name))

    def find(self, text: str | TokenisedText, skill_name: str) -> list[Mention]:
        """Occurrences of one skill; names outside the vocabulary are matched as phrases."""
        tok = text if isinstance(text, TokenisedText) else TokenisedText(text)
        skill = self.get(skill_name)
        if skill is not None:
            return [m for m in self.scan(tok) if m.skill == skill.name]
        return find_phrase(tok, skill_name.strip())


def find_phrase(tok: TokenisedText, phrase: str) -> list[Mention]:
    """Token-boundary occurrences of an ad-hoc phrase (a job skill the vocabulary lacks)."""
    words = tokens_of(phrase)
    if not words:
        return []
    exact = _is_case_sensitive(phrase)
    want = tuple(words) if exact else tuple(w.lower() for w in words)
    seq = tok.orig if exact else tok.lower
    size = len(want)
    return [
        Mention(phrase, tok.starts[i], tok.ends[i + size - 1])
        for i in range(len(seq) - size + 1)
        if seq[i] == want[0] and tuple(seq[i : i + size]) == want
    ]


def _context_ok(tok: TokenisedText, start: int, end: int, skill: str) -> bool:
    """Reject short ambiguous names used as ordinary words or glued into other words."""
    if end - start == 1 and len(tok.orig[start]) == 1:
        # A single letter ("C", "R") glued by a hyphen, ampersand, apostrophe or dot is part of
        # something else: "C-suite", "R&D", "C.V.", "O'Brien".
        text = tok.text
        before = text[tok.starts[start] - 1] if tok.starts[start] > 0 else " "
        after = text[tok.ends[start]] if tok.ends[start] < len(text) else " "
        if before in "-&'.\u2019" or after in "-&'\u2019":
            return False
        if after == "." and _initial(tok, start):
            return False
    blocked_after = _NOT_FOLLOWED_BY.get(skill)
    if blocked_after is not None and end < len(tok.lower):
        nxt = tok.lower[end]
        if nxt in blocked_after or (skill == "Spring" and nxt.isdigit()):
            return False
    blocked_before = _NOT_PRECEDED_BY.get(skill)
    return not (blocked_before and start > 0 and tok.lower[start - 1] in blocked_before)


def _initial(tok: TokenisedText, start: int) -> bool:
    """ "R. Patel": a letter and a dot before a capitalised word, not ending a list."""
    after = tok.ends[start] + 1
    text = tok.text
    while after < len(text) and text[after] == " ":
        after += 1
    capital_next = after < len(text) and text[after].isupper()
    in_list = start == 0 or tok.lower[start - 1] == BREAK
    return capital_next and not in_list


def parse_vocabulary(lines: Iterable[str]) -> list[Skill]:
    """Parse ``category/family | Name | aliases | implied skills`` lines; '#' starts a comment."""
    skills = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or not parts[1]:
            raise ValueError(f"Skills vocabulary line {number} has no skill name: {raw!r}")
        category, _, family = parts[0].partition("/")
        aliases = parts[2] if len(parts) > 2 else ""
        implies = parts[3] if len(parts) > 3 else ""
        skills.append(
            Skill(
                name=parts[1],
                category=category or "other",
                aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()),
                family=parts[0] if family else "",
                implies=tuple(i.strip() for i in implies.split(",") if i.strip()),
            )
        )
    return [_display_name(skill) for skill in skills]


def _display_name(skill: Skill) -> Skill:
    # "=Go" marks the canonical name as case-sensitive; keep that as an alias, show "Go".
    if not skill.name.startswith("="):
        return skill
    return Skill(
        name=skill.name[1:],
        category=skill.category,
        aliases=(skill.name, *skill.aliases),
        family=skill.family,
        implies=skill.implies,
    )


def vocabulary_path() -> Path:
    return resources_dir() / VOCABULARY_FILE


@cache
def load_vocabulary(path: Path | None = None) -> SkillVocabulary:
    """The bundled vocabulary (or ``path``), parsed once per process."""
    source = path or vocabulary_path()
    return SkillVocabulary(parse_vocabulary(source.read_text(encoding="utf-8").splitlines()))


def skill_names(vocabulary: SkillVocabulary, names: Sequence[str]) -> list[str]:
    """Canonical, de-duplicated names in the given order (blank names dropped)."""
    return list(dict.fromkeys(vocabulary.canonical(n) for n in names if n.strip()))

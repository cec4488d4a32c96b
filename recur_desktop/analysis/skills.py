"""The skills vocabulary and token-boundary matching of skills in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from recur_desktop.resources import resources_dir


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...]


def _term_pattern(term: str) -> str:
    # Token boundaries that respect "C" vs "C++" vs "C#", ".NET" and "Node.js".
    return r"(?<![\w+#.])" + re.escape(term) + r"(?![\w+#]|\.\w)"


def _is_case_sensitive(term: str) -> bool:
    # Short names collide with ordinary words ("Go" vs "go to", "R", "C", "UI" vs "ui").
    return len(term) <= 3


class SkillVocabulary:
    def __init__(self, skills: Iterable[Skill]) -> None:
        self.skills: dict[str, Skill] = {}
        self._by_term: dict[str, str] = {}
        for skill in skills:
            self.skills[skill.name.casefold()] = skill
            for term in (skill.name, *skill.aliases):
                self._by_term.setdefault(term.casefold(), skill.name)
        self._finder = self._compile(
            [(term, canonical) for canonical in self.skills for term in self._terms(canonical)]
        )

    def _terms(self, canonical_key: str) -> list[str]:
        skill = self.skills[canonical_key]
        return [skill.name, *skill.aliases]

    @staticmethod
    def _compile(terms: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
        # Longest first so "Spring Boot" wins over "Spring" when both could match.
        ordered = sorted(terms, key=lambda pair: len(pair[0]), reverse=True)
        return [
            (
                re.compile(_term_pattern(term), 0 if _is_case_sensitive(term) else re.IGNORECASE),
                key,
            )
            for term, key in ordered
        ]

    def canonical(self, name: str) -> str:
        """The vocabulary's name for ``name`` (an alias or misspelling), or ``name`` itself."""
        return self._by_term.get(name.strip().casefold(), name.strip())

    def terms_for(self, name: str) -> list[str]:
        canonical = self.canonical(name)
        skill = self.skills.get(canonical.casefold())
        if skill is None:
            return [name.strip()]
        return [skill.name, *skill.aliases]

    def find_all(self, text: str) -> set[str]:
        """Canonical names of every vocabulary skill mentioned in ``text``."""
        return {self.skills[key].name for pattern, key in self._finder if pattern.search(text)}

    def mentions(self, text: str, skill_name: str) -> bool:
        """Does ``text`` mention ``skill_name`` (or one of its aliases) on token boundaries?"""
        for term in self.terms_for(skill_name):
            flags = 0 if _is_case_sensitive(term) else re.IGNORECASE
            if re.search(_term_pattern(term), text, flags):
                return True
        return False


def parse_vocabulary(lines: Iterable[str]) -> list[Skill]:
    skills = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        category, name, aliases = (part.strip() for part in (line.split("|") + ["", ""])[:3])
        skills.append(
            Skill(
                name=name,
                category=category,
                aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()),
            )
        )
    return skills


@cache
def load_vocabulary(path: Path | None = None) -> SkillVocabulary:
    source = path or resources_dir() / "skills.txt"
    return SkillVocabulary(parse_vocabulary(source.read_text(encoding="utf-8").splitlines()))

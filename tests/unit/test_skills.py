"""The skills vocabulary and token-boundary matching."""

from __future__ import annotations

import pytest

from recur_desktop.analysis.skills import (
    Skill,
    SkillVocabulary,
    TokenisedText,
    find_phrase,
    load_vocabulary,
    parse_vocabulary,
)


@pytest.fixture(scope="module")
def vocab() -> SkillVocabulary:
    return load_vocabulary()


def found(vocab: SkillVocabulary, text: str) -> list[str]:
    return [m.skill for m in vocab.scan(text)]


def test_the_vocabulary_has_at_least_800_skills_each_with_a_category(vocab):
    assert len(vocab) >= 800
    categories = {s.category for s in vocab.skills.values()}
    assert {"language", "database", "cloud", "devops", "finance", "healthcare", "sales"} <= (
        categories
    )
    assert {"design", "method", "soft"} <= categories
    assert all(s.category and s.category != "other" for s in vocab.skills.values())


def test_the_vocabulary_covers_non_software_fields(vocab):
    by_category: dict[str, int] = {}
    for skill in vocab.skills.values():
        by_category[skill.category] = by_category.get(skill.category, 0) + 1
    for category in ("finance", "healthcare", "sales", "design", "marketing", "hr"):
        assert by_category[category] >= 10, category


def test_aliases_and_misspellings_map_to_one_canonical_name(vocab):
    for alias, name in [
        ("Postgres", "PostgreSQL"),
        ("psql", "PostgreSQL"),
        ("PostgresSQL", "PostgreSQL"),
        ("k8s", "Kubernetes"),
        ("kubernates", "Kubernetes"),
        ("JS", "JavaScript"),
        ("React.js", "React"),
        ("ReactJS", "React"),
        ("Golang", "Go"),
        ("pyhton", "Python"),
        ("sklearn", "scikit-learn"),
    ]:
        assert vocab.canonical(alias) == name
        assert found(vocab, f"Worked with {alias} daily") == [name], alias


def test_go_the_language_is_not_the_verb(vocab):
    assert found(vocab, "Services written in Go and Python") == ["Go", "Python"]
    assert found(vocab, "I go to conferences and we go live weekly") == []
    assert found(vocab, "Owned the Go-to-market plan") == ["Go-to-Market Strategy"]
    assert found(vocab, "Ready to Go live in March") == []


def test_c_cpp_and_csharp_are_three_skills(vocab):
    assert found(vocab, "C, C++ and C# on Windows") == ["C", "C++", "C#"]
    assert found(vocab, "C/C++ code") == ["C", "C++"]
    assert found(vocab, "Reported to the C-suite") == []
    assert found(vocab, "Objective-C for iOS") == ["Objective-C", "iOS"]
    assert found(vocab, "Vitamin C trial coordinator") == []


def test_r_only_as_the_language(vocab):
    assert found(vocab, "Statistics in R and Python") == ["Statistics", "R", "Python"]
    assert found(vocab, "Led R&D for the r and d team") == []
    assert "R" not in found(vocab, "Signed off by R. Patel")


def test_java_is_not_found_inside_javascript(vocab):
    assert found(vocab, "JavaScript and TypeScript") == ["JavaScript", "TypeScript"]
    assert found(vocab, "Java 17 and Spring Boot") == ["Java", "Spring Boot"]


def test_dotted_names_and_sentence_ends(vocab):
    assert found(vocab, "Built it with Node.js.") == ["Node.js"]
    assert found(vocab, "ASP.NET Core and .NET on Azure") == ["ASP.NET", ".NET", "Azure"]
    assert found(vocab, "Vue.js, Next.js, D3.js") == ["Vue.js", "Next.js", "D3.js"]


def test_hyphens_and_slashes_join_words_like_spaces(vocab):
    assert found(vocab, "test-driven development") == ["TDD"]
    assert found(vocab, "test driven development") == ["TDD"]
    assert found(vocab, "CI/CD with Jenkins") == ["CI/CD", "Jenkins"]
    assert found(vocab, "scikit-learn models") == ["scikit-learn"]


def test_longest_term_wins(vocab):
    assert found(vocab, "Spring Boot services") == ["Spring Boot"]
    assert found(vocab, "React Native apps") == ["React Native"]
    assert found(vocab, "GitHub Actions pipelines") == ["GitHub Actions"]


def test_a_phrase_wrapped_over_two_lines_still_matches(vocab):
    assert found(vocab, "models for natural\nlanguage processing") == ["NLP"]


def test_commas_break_phrases(vocab):
    assert found(vocab, "Spring, Boot camp") == ["Spring"]


def test_ambiguous_words_match_only_as_written(vocab):
    assert found(vocab, "Spring 2019 semester abroad") == []
    assert found(vocab, "rust-proofing cars; took the helm") == []
    assert found(vocab, "Rust and Helm charts") == ["Rust", "Helm"]
    assert found(vocab, "rest between shifts, San Francisco") == []
    assert found(vocab, "REST APIs") == ["REST"]


def test_upper_case_acronyms_need_upper_case(vocab):
    assert found(vocab, "SOAP and SAN storage") == ["SOAP", "Storage Administration"]
    assert found(vocab, "soap and san") == []


def test_mentions_keeps_the_old_api(vocab):
    assert vocab.mentions("Python, PostgreSQL, Docker", "Postgres")
    assert not vocab.mentions("COBOL and Fortran", "Python")
    assert vocab.find_all("COBOL, Fortran") == {"COBOL", "Fortran"}


def test_skills_missing_from_the_vocabulary_match_as_phrases(vocab):
    tokens = TokenisedText("Maintained the Acme Flux engine and the acme flux tools")
    assert len(find_phrase(tokens, "Acme Flux")) == 2
    assert vocab.mentions("We use Acme Flux", "Acme Flux")
    assert not vocab.mentions("We use Acme Fluxion", "Acme Flux")


def test_a_term_naming_two_skills_is_refused():
    with pytest.raises(ValueError, match="names both"):
        SkillVocabulary([Skill("Go", "language", ("golang",)), Skill("Golf", "sport", ("golang",))])


def test_parse_reads_category_family_and_exact_names():
    [go, sql] = parse_vocabulary(
        ["# comment", "language/systems | =Go | Golang", "language/query | SQL | sql, ansi sql"]
    )
    assert (go.name, go.category, go.family) == ("Go", "language", "language/systems")
    assert "=Go" in go.aliases
    assert (sql.category, sql.aliases) == ("language", ("sql", "ansi sql"))
    vocab = SkillVocabulary([go, sql])
    assert [m.skill for m in vocab.scan("go GO Go")] == ["Go"]


def test_a_line_without_a_name_is_an_error():
    with pytest.raises(ValueError, match="line 1"):
        parse_vocabulary(["language |  | x"])


def test_families_group_close_relatives(vocab):
    assert vocab.family("PostgreSQL") == vocab.family("MySQL") != ""
    assert vocab.family("HTML") != vocab.family("TypeScript")
    assert vocab.category("Kubernetes") == "devops"

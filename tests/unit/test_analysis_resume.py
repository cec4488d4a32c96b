"""Reading a resume: sections, dated roles, where each skill is used, and what is blanked out."""

from __future__ import annotations

from datetime import date

import pytest

from recur_desktop.analysis.resume import (
    CERTIFICATIONS,
    EDUCATION,
    EXPERIENCE,
    HEADER,
    IN_LIST,
    IN_ROLE,
    PROJECTS,
    SKILLS,
    SUMMARY,
    UNSECTIONED,
    education_level,
    find_sections,
    heading_kind,
    mask_personal_details,
    profile_resume,
)
from recur_desktop.analysis.skills import load_vocabulary

TODAY = date(2026, 1, 15)

RESUME = """\
Jane Example
Platform Engineer
jane.example@example.com | +49 30 1234567 | github.com/janeexample
Date of birth: 03.04.1990

PROFESSIONAL SUMMARY
Engineer who keeps platforms boring.

Technical Skills
Kubernetes, Terraform, Python, Go, COBOL

WORK EXPERIENCE
Platform Engineer, Acme Robotics, Berlin, Jan 2019 - Present
- Runs Kubernetes clusters and writes Terraform modules.
- Python tooling for deploys.

Site Reliability Engineer | Globex | 2016 - 2019
- Moved services to Kubernetes; on-call for the payments platform.

Education
B.Sc. Computer Science, TU Berlin, 2012 - 2016

Certifications
- Certified Kubernetes Administrator
"""


@pytest.fixture(scope="module")
def profile():
    return profile_resume(RESUME, load_vocabulary(), TODAY)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("WORK EXPERIENCE", EXPERIENCE),
        ("Professional Experience:", EXPERIENCE),
        ("Employment History", EXPERIENCE),
        ("Core Competencies", SKILLS),
        ("Technical Skills", SKILLS),
        ("Skills & Tools", SKILLS),
        ("Profile", SUMMARY),
        ("Career Objective", SUMMARY),
        ("Academic Background", EDUCATION),
        ("Licenses & Certifications", CERTIFICATIONS),
        ("Personal Projects", PROJECTS),
        ("Built Kubernetes clusters for the platform team", None),
    ],
)
def test_heading_wordings(line, kind):
    assert heading_kind(line) == kind


def test_sections_in_order_with_the_header_first(profile):
    kinds = [s.kind for s in profile.sections]
    assert kinds == [HEADER, SUMMARY, SKILLS, EXPERIENCE, EDUCATION, CERTIFICATIONS]


def test_an_inline_heading_opens_a_section():
    text = "Ann Other\nSkills: Python, SQL\nExperience\n2019 - 2021 Analyst, Foo"
    sections = find_sections(text)
    skills = next(s for s in sections if s.kind == SKILLS)
    assert text[skills.start : skills.end].strip() == "Python, SQL"


def test_text_without_headings_is_one_section():
    assert [s.kind for s in find_sections("Python developer since 2019")] == [UNSECTIONED]


def test_roles_with_title_company_and_dates(profile):
    assert [r.label() for r in profile.roles] == [
        "Platform Engineer at Acme Robotics, 2019\u2013present",
        "Site Reliability Engineer at Globex, 2016\u20132019",
    ]


def test_education_dates_are_not_experience(profile):
    # 2016-2019 (Jan 2016 to Jan 2019) joins Jan 2019-Jan 2026 (85 months): 121 months.
    assert profile.experience_months == 121
    assert profile.years == 10.1
    assert profile.education == 2


def test_years_per_skill_come_from_the_roles_that_use_it(profile):
    kubernetes = profile.skills["Kubernetes"]
    assert IN_ROLE in kubernetes.places and IN_LIST in kubernetes.places
    assert kubernetes.months == 121
    assert profile.skills["Terraform"].years == pytest.approx(85 / 12)
    assert profile.skills["COBOL"].places == {IN_LIST}
    assert profile.skills["COBOL"].months == 0


def test_an_employer_name_is_not_a_skill(profile):
    assert "Robotics" not in profile.skills


def test_personal_details_are_blanked_and_offsets_kept():
    masked = mask_personal_details(RESUME)
    assert len(masked) == len(RESUME)
    assert "Jane Example" not in masked and "jane.example" not in masked
    assert "1990" not in masked and "github.com" not in masked
    assert "Platform Engineer" in masked


def test_a_name_that_is_also_a_skill_does_not_count():
    text = "Ruby Nakamura\nAccountant\n\nExperience\n2018 - 2024 Accountant, Foo Ltd\nExcel work."
    profile = profile_resume(text, load_vocabulary(), TODAY)
    assert "Ruby" not in profile.skills and "Excel" in profile.skills


@pytest.mark.parametrize(
    ("layout", "title", "company"),
    [
        ("2019 - 2024 Data Engineer, Initech, Austin\n- SQL", "Data Engineer", "Initech"),
        ("Data Engineer at Initech\nMar 2019 - Jun 2024\n- SQL", "Data Engineer", "Initech"),
        ("Initech \u2014 Data Engineer\n2019 - 2024\n- SQL", "Data Engineer", "Initech"),
        (
            "June 2019 \u2013\nJune 2024\nData Engineer, Initech, Austin\nSQL",
            "Data Engineer",
            "Initech",
        ),
        ("Data Engineer, Initech (2019 - 2024)\n- SQL", "Data Engineer", "Initech"),
        ("Data Engineer | Initech | 2019 - 2024\n- SQL", "Data Engineer", "Initech"),
    ],
)
def test_role_layouts(layout, title, company):
    text = f"Name Person\n\nExperience\n{layout}\n\nEducation\nBSc Maths, 2015"
    profile = profile_resume(text, load_vocabulary(), TODAY)
    [role] = profile.roles
    assert (role.title, role.company) == (title, company)
    assert profile.skills["SQL"].places == {IN_ROLE}


def test_a_degree_listed_among_jobs_is_not_a_role():
    text = (
        "A Person\n\nExperience\n2019 - 2024 Analyst, Foo\n"
        "2015 - 2019 B.Sc. Economics, University of Leeds"
    )
    profile = profile_resume(text, load_vocabulary(), TODAY)
    assert [r.title for r in profile.roles] == ["Analyst"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Ph.D. in Physics", 4),
        ("MSc Data Science", 3),
        ("MBA, 2019", 3),
        ("Bachelor of Science in Nursing", 2),
        ("B.Tech Computer Science", 2),
        ("Associate degree in accounting", 1),
        ("Evening courses in pottery", 0),
    ],
)
def test_education_levels(text, level):
    assert education_level(text) == level


def test_peer_style_dates_on_their_own_lines():
    text = (
        "Some One\n\nExperience\nJune 2020 \u2013\nPresent\n"
        "MERN Stack Developer, OpenAI, San Francisco\n"
        "Working with Node.js and React.\nJuly 2015 \u2013\nMay 2020\nFull Stack Developer, Uber\n"
        "Developed apps with React.\n"
    )
    profile = profile_resume(text, load_vocabulary(), TODAY)
    assert [r.label() for r in profile.roles] == [
        "MERN Stack Developer at OpenAI, 2020\u2013present",
        "Full Stack Developer at Uber, 2015\u20132020",
    ]
    assert profile.skills["Node.js"].months == 68
    assert profile.skills["React"].months == 68 + 59

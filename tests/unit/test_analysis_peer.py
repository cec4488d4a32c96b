"""Real-world check on resumes and job ads no one on the team wrote (``shared/data/peer-resumes``).

The PDFs are read from the shared folder, never copied into the repository; without the folder
these tests skip. Skill labels below are ours, read off the extracted text.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from recur_desktop.analysis import EvidenceAnalyzer, propose_job_requirements
from recur_desktop.domain import JobPosting
from recur_desktop.extraction import extract_document

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "data" / "peer-resumes"
TODAY = date(2026, 1, 15)

pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"{FOLDER} is not there")

TRUE_SKILLS = {
    "alfred_pennyworth_pm": {
        "Product Management", "Agile", "Leadership", "Communication", "Project Management",
        "UX Design", "Market Research", "Data Analysis", "Java", "Python", "JavaScript", "HTML",
        "CSS", "SQL", "AWS", "Cross-Functional Collaboration", "Product Strategy",
        "Strategic Planning", "Raspberry Pi",
    },
    "barry_allen_fe": {
        "JavaScript", "TypeScript", "HTML", "CSS", "Python", "React", "Redux", "Angular",
        "Vue.js", "Node.js", "Express", "D3.js", "Git", "Docker", "Webpack", "Babel",
        "Google Cloud", "Firebase", "REST", "GraphQL", "Agile", "TDD", "Responsive Design",
        "UX Design", "UI Design", "Code Review", "Scrum", "Data Visualization", "Accessibility",
    },
    "bruce_wayne_fullstack": {
        "JavaScript", "TypeScript", "MongoDB", "Express", "React", "Node.js", "REST", "Git",
        "Docker", "Kubernetes", "Agile", "Scrum", "Python", "Machine Learning", "NLP",
        "Code Review", "Leadership", "TDD", "Google Maps API", "Recommender Systems",
        "Artificial Intelligence",
    },
    "harvey_dent_mle": {
        "Python", "R", "TensorFlow", "PyTorch", "scikit-learn", "Keras", "SQL", "NoSQL", "Git",
        "Docker", "Kubernetes", "Agile", "Scrum", "Statistics", "Data Visualization",
        "Deep Learning", "NLP", "Machine Learning", "Predictive Modeling", "A/B Testing",
        "Leadership", "Artificial Intelligence", "Time Series Analysis", "Academic Research",
        "Data Analysis", "Data Science",
    },
    "john_doe": {
        "Java", "Spring Boot", "Spring", "Hibernate", "Angular", "JavaScript", "TypeScript",
        "HTML", "CSS", "Bootstrap", "REST", "SQL", "NoSQL", "MySQL", "MongoDB", "Agile", "Scrum",
        "Git", "JUnit", "Mockito", "Docker", "Unit Testing", "Software Development Life Cycle",
    },
}  # fmt: skip
YEARS = {
    "alfred_pennyworth_pm": 27.1,  # 1999 - present
    "barry_allen_fe": 3.7,  # June 2022 - present
    "bruce_wayne_fullstack": 13.7,  # June 2012 - present
    "harvey_dent_mle": 10.1,  # 2016 - present
    "john_doe": 9.6,  # July 2016 - present
}
#: The candidate a recruiter would put first for each job ad.
BEST = {
    "job_desc_front_end_engineer": "barry_allen_fe",
    "job_desc_java_developer": "john_doe",
    "job_desc_product_manager": "alfred_pennyworth_pm",
    "job_desc_full_stack_engineer": "john_doe",
}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {
        p.stem: extract_document(p.read_bytes(), file_name=p.name).text
        for p in sorted(FOLDER.glob("*.pdf"))
    }


@pytest.fixture(scope="module")
def analyzer() -> EvidenceAnalyzer:
    return EvidenceAnalyzer(today=TODAY)


def test_skill_extraction_on_documents_we_did_not_write(texts, analyzer):
    tp = fp = fn = 0
    for key, truth in TRUE_SKILLS.items():
        found = set(analyzer.profile(texts[key]).skills)
        tp, fp, fn = tp + len(found & truth), fp + len(found - truth), fn + len(truth - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_years_and_roles(texts, analyzer):
    for key, years in YEARS.items():
        profile = analyzer.profile(texts[key])
        assert profile.years == pytest.approx(years, abs=0.2), key
    roles = analyzer.profile(texts["bruce_wayne_fullstack"]).roles
    assert [r.label() for r in roles] == [
        "MERN Stack Developer at OpenAI, 2020\u2013present",
        "Full Stack Developer at Uber, 2015\u20132020",
        "Software Developer at Facebook, 2012\u20132015",
    ]


def test_an_oracle_certification_is_not_the_oracle_database(texts, analyzer):
    assert "Oracle Database" not in analyzer.profile(texts["john_doe"]).skills


def _job(text: str) -> JobPosting:
    proposal = propose_job_requirements(text)
    title = text.split("\n")[0].removeprefix("Job Description: ").split("(")[0].strip()
    return JobPosting(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        title=title,
        company="Tech Solutions",
        description=text,
        required_skills=proposal.required,
        preferred_skills=proposal.preferred,
        min_years=proposal.min_years,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_requirements_proposed_from_the_job_ads(texts):
    front = propose_job_requirements(texts["job_desc_front_end_engineer"])
    assert {"HTML", "CSS", "JavaScript"} <= set(front.required)
    assert {"React", "Vue.js", "Angular"} <= set(front.preferred)
    java = propose_job_requirements(texts["job_desc_java_developer"])
    assert {"Java", "Spring", "Hibernate", "SQL"} <= set(java.required)
    product = propose_job_requirements(texts["job_desc_product_manager"])
    assert "Product Management" in product.required
    assert [
        propose_job_requirements(texts[k]).min_years
        for k in ("job_desc_front_end_engineer", "job_desc_full_stack_engineer")
    ] == [2.0, 5.0]
    assert java.min_years == 3.0 and product.min_years == 10.0


def test_the_natural_candidate_ranks_first(texts, analyzer):
    resumes = {k: t for k, t in texts.items() if not k.startswith("job_desc")}
    for job_key, best in BEST.items():
        job = _job(texts[job_key])
        scores = {k: analyzer.analyze(t, job).overall_fit_score for k, t in resumes.items()}
        assert max(scores, key=scores.__getitem__) == best, (job_key, scores)

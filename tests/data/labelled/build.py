# ruff: noqa: E501  (resume text and skill lists read better on one line each)
"""Writes the labelled set: fictional resumes (``resumes/*.txt``), six jobs and the labels.

Run ``python -m tests.data.labelled.build`` after changing a profile; the output is committed.
Every person and company here is invented. Labels are ours, written as a recruiter would:

- ``skills``: every skill the resume really claims, tagged in the text below as ``{Name}`` or
  ``{as written|Canonical Name}``. Untagged text must not claim a skill.
- ``years``: professional experience computed from the role dates (overlaps merged; a range of
  bare years counts whole years, a range with months includes its end month), as of ``AS_OF``.
- ``relevance``: 0 (not a fit) to 3 (would shortlist first) for each job, judged from the whole
  profile (skills actually used, seniority, years), not from any score.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 1, 15)
_TAG = re.compile(r"\{([^{}|]+)(?:\|([^{}]+))?\}")

Point = tuple[int, int | None]  # (year, month or None for a bare year)


@dataclass
class Role:
    title: str
    company: str
    start: Point
    end: Point | None  # None = present
    bullets: list[str]
    city: str = "Leeds, UK"


@dataclass
class Person:
    key: str
    name: str
    headline: str
    summary: str
    roles: list[Role]
    skills: str
    education: str
    relevance: dict[str, int]
    dates: str = "mon"  # mon | full | num | year | iso
    layout: str = "A"  # A..F, see _role_header
    headings: str = "title"  # title | upper | alt
    bullet: str = "- "
    projects: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    personal: str = ""  # a line of personal details (birth date, pronouns...) scores must ignore
    keywords: str = ""  # a pasted keyword block (stuffing)


# --- the six jobs -------------------------------------------------------------------------------

JOBS = {
    "J1": {
        "title": "Senior Backend Engineer",
        "required": ["Python", "PostgreSQL", "Docker", "REST", "AWS"],
        "preferred": ["Kubernetes", "Redis", "Apache Kafka"],
        "min_years": 5,
        "description": (
            "We are hiring a Senior Backend Engineer to build the Python services behind our "
            "logistics platform. You will design REST APIs, own PostgreSQL schemas and run "
            "everything in Docker on AWS. Requirements: 5+ years of backend experience with "
            "Python and PostgreSQL, Docker, AWS. Nice to have: Kubernetes, Redis, Kafka. "
            "A bachelor's degree in computer science or equivalent experience."
        ),
    },
    "J2": {
        "title": "Frontend Developer",
        "required": ["JavaScript", "TypeScript", "React", "HTML", "CSS"],
        "preferred": ["Next.js", "Jest", "Figma"],
        "min_years": 3,
        "description": (
            "Join our web team as a Frontend Developer. You will build accessible React "
            "interfaces in TypeScript with modern HTML and CSS, working closely with design in "
            "Figma. Requirements: 3+ years of professional frontend experience, strong "
            "JavaScript and TypeScript, React. Nice to have: Next.js and Jest."
        ),
    },
    "J3": {
        "title": "Data Scientist",
        "required": ["Python", "Machine Learning", "SQL", "Statistics", "scikit-learn"],
        "preferred": ["PyTorch", "Apache Spark", "A/B Testing"],
        "min_years": 3,
        "description": (
            "As a Data Scientist you will build machine learning models that forecast demand "
            "and design experiments with the product team. Requirements: 3+ years of "
            "experience with Python, SQL, statistics and scikit-learn; a Master's degree in a "
            "quantitative field. Nice to have: PyTorch, Spark, A/B testing."
        ),
    },
    "J4": {
        "title": "Registered Nurse - Intensive Care",
        "required": [
            "Registered Nurse",
            "Critical Care",
            "Patient Care",
            "Medication Administration",
            "EHR",
        ],
        "preferred": ["ACLS", "CPR"],
        "min_years": 2,
        "description": (
            "Our 24-bed intensive care unit is looking for a Registered Nurse with 2+ years of "
            "acute care experience. You will provide patient care to critically ill adults, "
            "administer medication and document in our electronic health records. ACLS and BLS "
            "certification preferred."
        ),
    },
    "J5": {
        "title": "Financial Analyst",
        "required": ["Financial Modeling", "Excel", "Forecasting", "Budgeting"],
        "preferred": ["Power BI", "Valuation", "SAP", "SQL"],
        "min_years": 3,
        "description": (
            "We need a Financial Analyst to own the monthly forecast and annual budget. "
            "Requirements: 3+ years of experience in financial planning, advanced Excel and "
            "financial modeling, a bachelor's degree in finance or economics. Nice to have: "
            "Power BI, SAP, SQL."
        ),
    },
    "J6": {
        "title": "DevOps Engineer",
        "required": ["Kubernetes", "Terraform", "AWS", "CI/CD", "Linux"],
        "preferred": ["Go", "Prometheus", "Python"],
        "min_years": 4,
        "description": (
            "As a DevOps Engineer you will run our Kubernetes clusters on AWS, manage "
            "infrastructure with Terraform and keep CI/CD pipelines fast. Requirements: 4+ "
            "years of experience operating Linux systems in production. Nice to have: Go, "
            "Prometheus, Python."
        ),
    },
}


def _stuffed(job: str) -> str:
    spec = JOBS[job]
    return ", ".join(f"{{{s}}}" for s in [*spec["required"], *spec["preferred"]])


# --- the people ---------------------------------------------------------------------------------

R = Role
PEOPLE: list[Person] = [
    # ----- backend -------------------------------------------------------------------------
    Person(
        "b01",
        "Priya Raman",
        "Senior Backend Engineer",
        "Backend engineer with eight years of building {Python} services on {PostgreSQL}.",
        [
            R(
                "Senior Backend Engineer",
                "Northwind Logistics",
                (2021, 4),
                None,
                [
                    "Designed {REST} APIs in {Python} and {FastAPI} serving four million requests a day.",
                    "Moved services to {Docker} and {Kubernetes} on {AWS}; cut deploy time from an hour to eight minutes.",
                    "Tuned {PostgreSQL} queries and added {Redis} {caching|Caching} for the tracking service.",
                ],
            ),
            R(
                "Backend Engineer",
                "Fernhill Payments",
                (2017, 9),
                (2021, 3),
                [
                    "Built payment event pipelines with {Kafka|Apache Kafka} and {Python}.",
                    "Owned the {PostgreSQL} schema and migrations for the ledger.",
                    "Containerised services with {Docker}; deployed to {AWS} {ECS|Amazon ECS}.",
                ],
            ),
        ],
        "{Python}, {FastAPI}, {Django}, {PostgreSQL}, {Redis}, {Docker}, {Kubernetes}, {AWS}, {Kafka|Apache Kafka}, {Git}",
        "B.Sc. Computer Science, University of Bristol, 2017",
        {"J1": 3, "J6": 2, "J3": 1},
        personal="Date of birth: 12 March 1994",
    ),
    Person(
        "b02",
        "Tomasz Wilk",
        "Python Developer",
        "Django developer who likes clean data models and boring deployments.",
        [
            R(
                "Lead Python Developer",
                "Harbor Health Software",
                (2020, 1),
                None,
                [
                    "Lead a team of four building {Django} {REST|REST} services in {Python}.",
                    "Runs {PostgreSQL} on {AWS} {RDS|Amazon RDS}; wrote the backup and restore runbook.",
                    "Introduced {Docker} for local development and {CI|CI/CD}.",
                ],
            ),
            R(
                "Python Developer",
                "Lakeside Media",
                (2018, 6),
                (2019, 12),
                [
                    "Maintained {Django} sites and {Celery} workers on {PostgreSQL}.",
                ],
            ),
        ],
        "{Python}, {Django}, {Celery}, {PostgreSQL}, {Docker}, {AWS}, {REST}, {pytest}",
        "M.Sc. Software Engineering, Wroclaw University of Science and Technology, 2018",
        {"J1": 3, "J6": 1},
        dates="full",
        layout="B",
        headings="upper",
    ),
    Person(
        "b03",
        "Hannah Ostrowski",
        "Backend Developer",
        "Backend developer building APIs with {Flask} and {MySQL}.",
        [
            R(
                "Backend Developer",
                "Copperleaf Games",
                (2022, 7),
                None,
                [
                    "Built {Flask} {REST} endpoints in {Python} for the matchmaking service.",
                    "Ran the {MySQL} cluster and wrote {Docker} images for every service.",
                    "Deployed to {Google Cloud} with {Terraform}.",
                ],
            ),
        ],
        "{Python}, {Flask}, {MySQL}, {Docker}, {Google Cloud}, {Terraform}, {Git}",
        "B.Eng. Software Engineering, University of Galway, 2022",
        {"J1": 2, "J6": 1},
        dates="num",
        layout="C",
    ),
    Person(
        "b04",
        "Daniel Achterberg",
        "Junior Software Engineer",
        "Graduate engineer who enjoys {Python} and databases.",
        [
            R(
                "Junior Software Engineer",
                "Brightwell Insurance",
                (2024, 9),
                None,
                [
                    "Writes {Python} {REST} endpoints and {PostgreSQL} migrations under senior review.",
                ],
            ),
            R(
                "Software Engineering Intern",
                "Brightwell Insurance",
                (2024, 6),
                (2024, 8),
                [
                    "Built an internal reporting tool in {Python}.",
                ],
            ),
        ],
        "{Python}, {PostgreSQL}, {REST}, {Git}, {Linux}",
        "B.Sc. Computer Science, Utrecht University, 2024",
        {"J1": 1},
        layout="F",
    ),
    Person(
        "b05",
        "Marcus Delacroix",
        "Senior Java Engineer",
        "Java engineer for high-volume order systems.",
        [
            R(
                "Senior Java Engineer",
                "Quayside Retail Group",
                (2018, 2),
                None,
                [
                    "Builds order services with {Java} and {Spring Boot} on {PostgreSQL}.",
                    "Streams order events through {Kafka|Apache Kafka}; services run in {Docker} on {AWS}.",
                ],
            ),
            R(
                "Java Developer",
                "Ashgrove Bank",
                (2015, 1),
                (2018, 1),
                [
                    "Maintained {Java} {Spring} applications on {Oracle|Oracle Database}.",
                ],
            ),
        ],
        "{Java}, {Spring Boot}, {Spring}, {PostgreSQL}, {Oracle|Oracle Database}, {Kafka|Apache Kafka}, {Docker}, {AWS}, {Maven}",
        "B.Sc. Informatics, Universite de Lyon, 2014",
        {"J1": 1},
        dates="mon",
        layout="D",
    ),
    Person(
        "b06",
        "Aiko Tanabe",
        "Backend Engineer (Go)",
        "Backend engineer writing {Go} services that run on {Kubernetes}.",
        [
            R(
                "Senior Backend Engineer",
                "Kestrel Mobility",
                (2020, 3),
                None,
                [
                    "Writes {Go} {microservices|Microservices} behind a {REST|REST} gateway, backed by {PostgreSQL}.",
                    "Operates {Kubernetes} clusters on {AWS}; every service ships as a {Docker} image.",
                    "Writes {Python} scripts for data fixes and one-off migrations.",
                ],
            ),
            R(
                "Software Engineer",
                "Kestrel Mobility",
                (2018, 9),
                (2020, 2),
                [
                    "Built {Go} workers for the dispatch queue on {Redis}.",
                ],
            ),
        ],
        "{Go}, {Python}, {PostgreSQL}, {Redis}, {Docker}, {Kubernetes}, {AWS}, {Prometheus}, {gRPC}",
        "B.Eng. Computer Engineering, Osaka University, 2018",
        {"J1": 2, "J6": 2},
        dates="iso",
        layout="E",
    ),
    Person(
        "b07",
        "Jordan Pike",
        "Senior Backend Engineer",
        "Senior Backend Engineer with 5+ years of backend experience with Python and PostgreSQL.",
        [
            R(
                "Store Supervisor",
                "Greenway Supermarkets",
                (2019, 5),
                None,
                [
                    "Supervises a team of twelve on the evening shift and handles cash {reconciliation|Reconciliations}.",
                ],
            ),
            R(
                "Sales Assistant",
                "Greenway Supermarkets",
                (2016, 9),
                (2019, 4),
                [
                    "Served customers and restocked shelves.",
                ],
            ),
        ],
        _stuffed("J1") + ", {Python}, {Docker}, {REST}",
        "A-levels, Kingsbridge Sixth Form College, 2016",
        {},
        keywords=JOBS["J1"]["description"],
    ),
    Person(
        "b08",
        "Graham Whitcombe",
        "Operations Manager",
        "{Operations manager|Operations Management}; earlier a developer.",
        [
            R(
                "Operations Manager",
                "Fellgate Couriers",
                (2014, 5),
                None,
                [
                    "Runs depot operations for three sites and forty drivers.",
                ],
            ),
            R(
                "Software Developer",
                "Tarn Systems",
                (2008, 1),
                (2014, 4),
                [
                    "Built {Python} back-office tools on {PostgreSQL}.",
                    "Wrote {REST} services for partner integrations.",
                ],
            ),
        ],
        "{Python}, {PostgreSQL}, {REST}, {Linux}",
        "B.Sc. Mathematics, University of York, 2007",
        {"J1": 1},
        dates="year",
        layout="A",
        headings="alt",
    ),
    Person(
        "b09",
        "Lucia Ferreira",
        "Node.js Developer",
        "Backend developer working in {Node.js} and {TypeScript}.",
        [
            R(
                "Backend Developer",
                "Mosaic Travel",
                (2020, 10),
                None,
                [
                    "Builds {Node.js} {REST} APIs in {TypeScript} on {MongoDB}.",
                    "Packages services with {Docker} and deploys on {AWS} {Lambda|AWS Lambda}.",
                ],
            ),
            R(
                "Web Developer",
                "Estrela Digital",
                (2019, 1),
                (2020, 9),
                [
                    "Built websites with {JavaScript}, {HTML} and {CSS}.",
                ],
            ),
        ],
        "{Node.js}, {TypeScript}, {JavaScript}, {MongoDB}, {Docker}, {AWS}, {HTML}, {CSS}",
        "Licenciatura in Computer Science, Universidade do Porto, 2018",
        {"J1": 1, "J2": 1},
        dates="mon",
        layout="B",
    ),
    Person(
        "b10",
        "Samuel Okonjo",
        "Full Stack Engineer",
        "Full stack engineer across {Django} and {React}.",
        [
            R(
                "Full Stack Engineer",
                "Beacon Learning",
                (2021, 1),
                None,
                [
                    "Builds {Django} {REST} APIs in {Python} and {React} front ends in {TypeScript}.",
                    "Designs {PostgreSQL} schemas; ships in {Docker} on {AWS}.",
                ],
            ),
            R(
                "Software Engineer",
                "Beacon Learning",
                (2019, 1),
                (2020, 12),
                [
                    "Worked on the {Python} grading service and its {PostgreSQL} database.",
                ],
            ),
        ],
        "{Python}, {Django}, {React}, {TypeScript}, {JavaScript}, {PostgreSQL}, {Docker}, {AWS}, {HTML}, {CSS}",
        "B.Sc. Computer Science, University of Lagos, 2018",
        {"J1": 2, "J2": 2},
        dates="num",
        layout="A",
    ),
    # ----- frontend ------------------------------------------------------------------------
    Person(
        "f01",
        "Elena Marchetti",
        "Senior Frontend Engineer",
        "Frontend engineer focused on fast, accessible {React} applications.",
        [
            R(
                "Senior Frontend Engineer",
                "Lumen Analytics",
                (2020, 2),
                None,
                [
                    "Leads the dashboard rewrite in {React}, {TypeScript} and {Next.js}.",
                    "Built the {design system|Design Systems} with {CSS modules|CSS Modules} and semantic {HTML}; works from {Figma} files.",
                    "Raised test coverage to 85% with {Jest}.",
                ],
            ),
            R(
                "Frontend Developer",
                "Portico Studio",
                (2017, 5),
                (2020, 1),
                [
                    "Built client sites in {JavaScript} and {React}.",
                ],
            ),
            R(
                "Web Developer",
                "Portico Studio",
                (2016, 6),
                (2017, 4),
                [
                    "Hand-coded {HTML} and {CSS} templates.",
                ],
            ),
        ],
        "{React}, {TypeScript}, {JavaScript}, {Next.js}, {HTML}, {CSS}, {Jest}, {Figma}, {Git}",
        "B.A. {Interaction Design}, Politecnico di Milano, 2016",
        {"J2": 3},
        dates="full",
        layout="C",
        headings="upper",
        personal="Pronouns: she/her",
    ),
    Person(
        "f02",
        "Kofi Asante",
        "Frontend Developer",
        "Frontend developer working mostly in {Vue.js}.",
        [
            R(
                "Frontend Developer",
                "Tidewater Energy",
                (2021, 11),
                None,
                [
                    "Builds customer portals in {Vue.js} and {TypeScript}.",
                    "Writes responsive {HTML} and {CSS} and maintains the {JavaScript} build.",
                ],
            ),
        ],
        "{Vue.js}, {TypeScript}, {JavaScript}, {HTML}, {CSS}, {Webpack}",
        "B.Sc. Computer Science, University of Ghana, 2021",
        {"J2": 2},
        dates="mon",
        layout="E",
    ),
    Person(
        "f03",
        "Maya Lindqvist",
        "Junior Web Developer",
        "Bootcamp graduate building with {React}.",
        [
            R(
                "Junior Web Developer",
                "Fjord Creative",
                (2025, 1),
                None,
                [
                    "Builds landing pages with {React}, {JavaScript}, {HTML} and {CSS}.",
                ],
            ),
        ],
        "{React}, {JavaScript}, {HTML}, {CSS}, {Git}",
        "Web Development Bootcamp, Stockholm Code School, 2024",
        {"J2": 1},
        projects=["Recipe finder app in {React} with a public recipes API."],
        layout="B",
    ),
    Person(
        "f04",
        "Rahul Menon",
        "Angular Developer",
        "Frontend developer in enterprise {Angular} applications.",
        [
            R(
                "Senior Angular Developer",
                "Indus Insurance",
                (2019, 8),
                None,
                [
                    "Builds {Angular} applications in {TypeScript} with {RxJS}.",
                    "Writes {HTML} templates and {Sass} styles for the claims portal.",
                ],
            ),
            R(
                "{UI|UI Design} Developer",
                "Indus Insurance",
                (2017, 8),
                (2019, 7),
                [
                    "Built forms in {JavaScript} and {jQuery}.",
                ],
            ),
        ],
        "{Angular}, {TypeScript}, {RxJS}, {JavaScript}, {HTML}, {Sass}, {jQuery}",
        "B.Tech Computer Science, University of Kerala, 2017",
        {"J2": 2},
        dates="num",
        layout="D",
    ),
    Person(
        "f05",
        "Chloe Bernard",
        "Product Designer",
        "{Product designer|Product Design} who prototypes in code.",
        [
            R(
                "Product Designer",
                "Oakmoss Apps",
                (2020, 4),
                None,
                [
                    "Runs {user research|User Research} and builds {prototypes|Prototyping} in {Figma}.",
                    "Hands off designs with basic {HTML} and {CSS} prototypes.",
                ],
            ),
            R(
                "Graphic Designer",
                "Atelier Nord",
                (2017, 9),
                (2020, 3),
                [
                    "Designed brand identities in {Illustrator|Adobe Illustrator}.",
                ],
            ),
        ],
        "{Figma}, {User Research}, {Prototyping}, {HTML}, {CSS}, {Adobe Illustrator}",
        "B.A. {Graphic Design}, Ecole de Design Nantes, 2017",
        {"J2": 1},
        layout="A",
    ),
    Person(
        "f06",
        "Tyler Brandt",
        "Frontend Developer",
        "Frontend Developer. Join our web team as a Frontend Developer.",
        [
            R(
                "Barista",
                "Beanline Coffee",
                (2021, 3),
                None,
                [
                    "Makes coffee and trains new staff on the espresso machines.",
                ],
            ),
        ],
        _stuffed("J2"),
        "High school diploma, Riverside High, 2020",
        {},
        keywords=JOBS["J2"]["description"],
    ),
    Person(
        "f07",
        "Sofia Petrova",
        "Mobile Developer",
        "Mobile developer shipping {React Native} apps.",
        [
            R(
                "Mobile Developer",
                "Cityhop",
                (2020, 6),
                None,
                [
                    "Builds {React Native} apps in {TypeScript}; shares {React} components with web.",
                    "Writes {JavaScript} tooling and {Jest} tests.",
                ],
            ),
            R(
                "Android Developer",
                "Cityhop",
                (2019, 1),
                (2020, 5),
                [
                    "Built the first {Android} app in {Kotlin}.",
                ],
            ),
        ],
        "{React Native}, {React}, {TypeScript}, {JavaScript}, {Jest}, {Kotlin}, {Android}",
        "M.Sc. Applied Mathematics, Sofia University, 2018",
        {"J2": 2},
        dates="iso",
        layout="C",
    ),
    Person(
        "f08",
        "Brendan Kealy",
        "WordPress Developer",
        "Freelance WordPress developer.",
        [
            R(
                "WordPress Developer",
                "Self-employed",
                (2019, 1),
                None,
                [
                    "Builds {WordPress} themes in {PHP}, {HTML}, {CSS} and {jQuery}.",
                    "Adds interactivity in plain {JavaScript}.",
                ],
            ),
        ],
        "{WordPress}, {PHP}, {HTML}, {CSS}, {jQuery}, {JavaScript}",
        "Diploma in Web Design, Dublin Business School, 2018",
        {"J2": 1},
        dates="year",
        layout="F",
    ),
    # ----- data --------------------------------------------------------------------------
    Person(
        "d01",
        "Amara Nwosu",
        "Senior Data Scientist",
        "{Data scientist|Data Science} applying {machine learning|Machine Learning} to pricing and demand.",
        [
            R(
                "Senior Data Scientist",
                "Harvest Grocers",
                (2021, 5),
                None,
                [
                    "Builds {demand forecasting|Demand Planning} models in {Python} with {scikit-learn} and {PyTorch}.",
                    "Designs {A/B tests|A/B Testing} and reports results with proper {statistics|Statistics}.",
                    "Writes {SQL} against the warehouse in {Snowflake}.",
                ],
            ),
            R(
                "Data Scientist",
                "Kinetic Ads",
                (2019, 3),
                (2021, 4),
                [
                    "Trained click-through models with {scikit-learn}; features in {SQL} and {Spark|Apache Spark}.",
                ],
            ),
        ],
        "{Python}, {scikit-learn}, {PyTorch}, {SQL}, {Apache Spark}, {Statistics}, {A/B Testing}, {Machine Learning}, {Snowflake}",
        "M.Sc. Statistics, University of Edinburgh, 2019",
        {"J3": 3, "J1": 1},
        dates="full",
        layout="B",
        headings="alt",
    ),
    Person(
        "d02",
        "Henrik Solberg",
        "Research Scientist",
        "Researcher in {Bayesian statistics|Bayesian Statistics} moving into industry.",
        [
            R(
                "Postdoctoral Researcher",
                "Nordic Institute of Public Health",
                (2022, 9),
                None,
                [
                    "Fits hierarchical models in {R} and {Python}; publishes {statistics|Statistics} methods papers.",
                    "Built {machine learning|Machine Learning} classifiers for registry data with {scikit-learn}.",
                ],
            ),
        ],
        "{R}, {Python}, {Statistics}, {Bayesian Statistics}, {scikit-learn}, {Machine Learning}, {LaTeX}",
        "Ph.D. Biostatistics, University of Oslo, 2022",
        {"J3": 2},
        dates="mon",
        layout="C",
    ),
    Person(
        "d03",
        "Grace Mbeki",
        "Data Analyst",
        "{Data analyst|Data Analysis} turning messy data into decisions.",
        [
            R(
                "Data Analyst",
                "Sable Telecom",
                (2021, 8),
                None,
                [
                    "Writes {SQL} and builds {Tableau} {dashboards|Data Visualization} for the churn team.",
                    "Automates reports in {Excel} and some {Python}.",
                ],
            ),
            R(
                "Junior Analyst",
                "Sable Telecom",
                (2020, 9),
                (2021, 7),
                [
                    "Maintained {Excel} models and ran basic {statistics|Statistics}.",
                ],
            ),
        ],
        "{SQL}, {Tableau}, {Excel}, {Python}, {Statistics}",
        "B.Com. Economics, University of Cape Town, 2020",
        {"J3": 1, "J5": 1},
        dates="num",
        layout="A",
    ),
    Person(
        "d04",
        "Wei Zhang",
        "Machine Learning Engineer",
        "ML engineer who puts models into production.",
        [
            R(
                "Machine Learning Engineer",
                "Orbital Vision",
                (2020, 11),
                None,
                [
                    "Trains vision models in {PyTorch} and {TensorFlow}; serves them from {Docker} on {Kubernetes}.",
                    "Built feature pipelines in {Python} and {SQL}.",
                ],
            ),
            R(
                "Software Engineer",
                "Orbital Vision",
                (2019, 7),
                (2020, 10),
                [
                    "Wrote {Python} data loaders for {machine learning|Machine Learning} training jobs.",
                ],
            ),
        ],
        "{Python}, {PyTorch}, {TensorFlow}, {Machine Learning}, {Docker}, {Kubernetes}, {SQL}",
        "M.Eng. Computer Science, Tsinghua University, 2019",
        {"J3": 2, "J6": 1, "J1": 1},
        dates="iso",
        layout="D",
    ),
    Person(
        "d05",
        "Lea Hoffmann",
        "Junior Data Scientist",
        "Recent graduate in {data science|Data Science}.",
        [
            R(
                "Junior Data Scientist",
                "Stadtwerk Analytics",
                (2024, 7),
                None,
                [
                    "Builds churn models with {scikit-learn} in {Python}; pulls data with {SQL}.",
                    "Checks results with sound {statistics|Statistics}.",
                ],
            ),
        ],
        "{Python}, {scikit-learn}, {SQL}, {Statistics}, {Machine Learning}, {Pandas}",
        "M.Sc. Data Science, TU Munich, 2024",
        {"J3": 1},
        dates="mon",
        layout="B",
        headings="upper",
    ),
    Person(
        "d06",
        "Oliver Grant",
        "Data Engineer",
        "Data engineer building batch and streaming pipelines.",
        [
            R(
                "Senior Data Engineer",
                "Meridian Freight",
                (2019, 4),
                None,
                [
                    "Builds {Spark|Apache Spark} jobs in {Python}, orchestrated with {Airflow|Apache Airflow}.",
                    "Streams events through {Kafka|Apache Kafka} into {Redshift|Amazon Redshift} on {AWS}.",
                    "Writes a lot of {SQL}.",
                ],
            ),
            R(
                "Data Engineer",
                "Pinewood Media",
                (2017, 10),
                (2019, 3),
                [
                    "Maintained {ETL} jobs in {Python} on {PostgreSQL}.",
                ],
            ),
        ],
        "{Python}, {Apache Spark}, {Apache Airflow}, {Apache Kafka}, {SQL}, {Amazon Redshift}, {AWS}, {PostgreSQL}, {ETL}",
        "B.Sc. Computer Science, University of Glasgow, 2017",
        {"J3": 1, "J1": 1},
        dates="full",
        layout="A",
    ),
    Person(
        "d07",
        "Nadia Haddad",
        "Machine Learning Expert",
        "Machine learning expert.",
        [
            R(
                "Mathematics Teacher",
                "Cedar Grove School",
                (2016, 9),
                None,
                [
                    "{Teaching} algebra and geometry to students aged eleven to sixteen.",
                ],
            ),
        ],
        _stuffed("J3"),
        "B.Ed. Mathematics Education, Lebanese University, 2016",
        {},
        headings="upper",
    ),
    # ----- nursing -----------------------------------------------------------------------
    Person(
        "n01",
        "Fiona MacLeod",
        "Registered Nurse, Intensive Care",
        "{Registered Nurse} with seven years in adult {intensive care|Critical Care}.",
        [
            R(
                "Staff Nurse, Intensive Care Unit",
                "Royal Infirmary of Dunmore",
                (2018, 10),
                None,
                [
                    "Provides {patient care|Patient Care} for ventilated and post-surgical patients in {critical care|Critical Care}.",
                    "Handles {medication administration|Medication Administration} including vasoactive infusions.",
                    "Documents care in {Epic|EHR}; precepts new starters.",
                ],
            ),
        ],
        "{Critical Care}, {Patient Care}, {Medication Administration}, {EHR}, {ACLS}, {BLS|CPR}",
        "B.Sc. (Hons) Nursing, University of Stirling, 2018",
        {"J4": 3},
        certifications=["{Registered Nurse} (NMC)", "{ACLS}", "{BLS|CPR}"],
        dates="mon",
        layout="B",
        personal="Born 4 July 1996",
    ),
    Person(
        "n02",
        "Joseph Otieno",
        "Registered Nurse",
        "{Registered Nurse} on a busy medical-surgical ward.",
        [
            R(
                "Registered Nurse, Medical-Surgical",
                "St. Anne's Hospital",
                (2021, 6),
                None,
                [
                    "Delivers {patient care|Patient Care} for thirty-bed ward; {medication administration|Medication Administration} and {wound care|Wound Care}.",
                    "Charts in {Cerner|EHR}.",
                ],
            ),
        ],
        "{Patient Care}, {Medication Administration}, {Wound Care}, {EHR}, {BLS|CPR}",
        "BSN, University of Nairobi, 2021",
        {"J4": 2},
        certifications=["{BLS|CPR}", "{NCLEX-RN|Registered Nurse}"],
        dates="full",
        layout="C",
    ),
    Person(
        "n03",
        "Emily Carter",
        "Graduate Nurse",
        "Newly qualified nurse.",
        [
            R(
                "Graduate {Registered Nurse}",
                "Westbrook General Hospital",
                (2025, 7),
                None,
                [
                    "Delivers {patient care|Patient Care} on rotation including four weeks in {critical care|Critical Care}.",
                ],
            ),
        ],
        "{Patient Care}, {Medication Administration}, {BLS|CPR}",
        "Bachelor of Science in Nursing, Westbrook University, 2025",
        {"J4": 1},
        certifications=["{BLS|CPR}"],
        layout="A",
    ),
    Person(
        "n04",
        "Rosa Jimenez",
        "Certified Nursing Assistant",
        "{CNA|Certified Nursing Assistant} in long-term care.",
        [
            R(
                "Certified Nursing Assistant",
                "Maple Court Care Home",
                (2020, 2),
                None,
                [
                    "Assists residents with daily living and records {vital signs|Vital Signs}.",
                    "Supports {patient care|Patient Care} plans with the nursing team.",
                ],
            ),
        ],
        "{Patient Care}, {Vital Signs}, {CPR}",
        "Nursing Assistant Certificate, Valley Community College, 2019",
        {"J4": 1},
        dates="num",
        layout="F",
    ),
    Person(
        "n05",
        "Declan Byrne",
        "Emergency Nurse",
        "{Registered Nurse} in a level one emergency department.",
        [
            R(
                "{Emergency Department|Emergency Medicine} Nurse",
                "Mercy University Hospital",
                (2020, 9),
                None,
                [
                    "{Triage} and {patient care|Patient Care} for resuscitation and {critical care|Critical Care} cases.",
                    "{Medication administration|Medication Administration} under protocol; documentation in {Meditech|EHR}.",
                ],
            ),
        ],
        "{Triage}, {Critical Care}, {Patient Care}, {Medication Administration}, {EHR}, {ACLS}",
        "B.Sc. General Nursing, University College Cork, 2020",
        {"J4": 2},
        certifications=["{ACLS}", "{Registered Nurse} (NMBI)"],
        dates="mon",
        layout="D",
    ),
    Person(
        "n06",
        "Patricia Nolan",
        "Medical Coder",
        "Certified coder for outpatient claims.",
        [
            R(
                "Medical Coder",
                "Clearwater Clinics",
                (2019, 3),
                None,
                [
                    "Assigns {ICD-10|Medical Coding} codes and reviews {claims processing|Revenue Cycle Management}.",
                    "Works in {Epic|EHR} and keeps up with {HIPAA} rules.",
                ],
            ),
        ],
        "{Medical Coding}, {EHR}, {HIPAA}, {Revenue Cycle Management}, {Medical Terminology}",
        "Associate Degree in Health Information, Clearwater College, 2018",
        {"J4": 0},
        layout="B",
    ),
    # ----- finance -----------------------------------------------------------------------
    Person(
        "i01",
        "Victoria Hale",
        "Senior Financial Analyst",
        "{Financial analyst|Financial Analysis} who owns forecasts people trust.",
        [
            R(
                "Senior Financial Analyst",
                "Brookfield Manufacturing",
                (2021, 2),
                None,
                [
                    "Owns the rolling {forecast|Forecasting} and annual {budget planning|Budgeting}.",
                    "Builds {financial models|Financial Modeling} in {Excel}; reports in {Power BI}.",
                    "Pulls actuals from {SAP}.",
                ],
            ),
            R(
                "Financial Analyst",
                "Linden Foods",
                (2018, 7),
                (2021, 1),
                [
                    "Built {financial models|Financial Modeling} for capital projects; {variance analysis|Variance Analysis} each month.",
                ],
            ),
        ],
        "{Financial Modeling}, {Excel}, {Forecasting}, {Budgeting}, {Power BI}, {SAP}, {Variance Analysis}",
        "B.Sc. Economics, University of Warwick, 2018",
        {"J5": 3},
        dates="full",
        layout="A",
        headings="upper",
    ),
    Person(
        "i02",
        "Ahmed Karimi",
        "Accountant",
        "Qualified accountant for small and mid-size firms.",
        [
            R(
                "Staff Accountant",
                "Keystone Partners",
                (2020, 9),
                None,
                [
                    "Prepares {financial statements|Financial Reporting} under {GAAP}; monthly {reconciliations|Reconciliations}.",
                    "Keeps books in {QuickBooks} and {Excel}; helps with the annual {budget planning|Budgeting}.",
                ],
            ),
        ],
        "{Accounting}, {GAAP}, {Reconciliations}, {QuickBooks}, {Excel}, {Financial Reporting}, {Budgeting}",
        "B.A. Accounting, University of Manchester, 2020",
        {"J5": 1},
        certifications=["{ACCA}"],
        dates="mon",
        layout="C",
    ),
    Person(
        "i03",
        "Charlotte Dunn",
        "Junior Financial Analyst",
        "{Financial analyst|Financial Analysis} early in a finance career.",
        [
            R(
                "Junior Financial Analyst",
                "Pemberton Housing",
                (2024, 8),
                None,
                [
                    "Maintains {Excel} {financial models|Financial Modeling} and the monthly {forecast|Forecasting}.",
                ],
            ),
        ],
        "{Excel}, {Financial Modeling}, {Forecasting}",
        "B.Sc. Finance, University of Leeds, 2024",
        {"J5": 1},
        layout="B",
    ),
    Person(
        "i04",
        "Rajiv Bhatt",
        "Investment Banking Analyst",
        "Analyst in mid-market {M&A|Investment Banking}.",
        [
            R(
                "Investment Banking Analyst",
                "Ashcombe Capital",
                (2022, 7),
                None,
                [
                    "Builds {DCF|Valuation} and merger {financial models|Financial Modeling} in {Excel}.",
                    "Prepares pitch books in {PowerPoint}.",
                ],
            ),
        ],
        "{Valuation}, {Financial Modeling}, {Excel}, {PowerPoint}, {Investment Banking}",
        "B.Sc. Economics, London School of Economics, 2022",
        {"J5": 2},
        dates="num",
        layout="D",
    ),
    Person(
        "i05",
        "Margaret Osei",
        "FP&A Manager",
        "Finance leader for planning and performance.",
        [
            R(
                "FP&A Manager",
                "Northgate Hotels",
                (2019, 1),
                None,
                [
                    "Leads {budgeting|Budgeting} and {forecasting|Forecasting} for forty hotels.",
                    "Built the group {financial model|Financial Modeling} in {Excel} and {Hyperion}.",
                    "Queries the {data warehouse|Data Warehousing} in {SQL}.",
                ],
            ),
            R(
                "Senior {Financial Analyst|Financial Analysis}",
                "Northgate Hotels",
                (2015, 6),
                (2018, 12),
                [
                    "Ran monthly {forecasts|Forecasting} and {budget planning|Budgeting} for the UK region.",
                ],
            ),
        ],
        "{FP&A}, {Budgeting}, {Forecasting}, {Financial Modeling}, {Excel}, {Hyperion}, {SQL}",
        "B.A. {Accounting} and Finance, University of Birmingham, 2015",
        {"J5": 3},
        dates="year",
        layout="A",
        headings="alt",
    ),
    # ----- devops ------------------------------------------------------------------------
    Person(
        "o01",
        "Noah Fischer",
        "Site Reliability Engineer",
        "SRE keeping {Kubernetes} platforms boring.",
        [
            R(
                "Senior {Site Reliability|Site Reliability Engineering} Engineer",
                "Vantage Streaming",
                (2021, 1),
                None,
                [
                    "Runs {Kubernetes} on {AWS} with {Terraform}; writes operators in {Go}.",
                    "Owns {CI/CD} on {GitHub Actions} and monitoring with {Prometheus} and {Grafana}.",
                ],
            ),
            R(
                "Systems Engineer",
                "Vantage Streaming",
                (2019, 2),
                (2020, 12),
                [
                    "Administered {Linux} hosts and automated them with {Ansible}.",
                ],
            ),
        ],
        "{Kubernetes}, {Terraform}, {AWS}, {CI/CD}, {GitHub Actions}, {Linux}, {Go}, {Prometheus}, {Grafana}, {Ansible}",
        "B.Sc. Computer Science, University of Hamburg, 2018",
        {"J6": 3, "J1": 1},
        dates="mon",
        layout="E",
    ),
    Person(
        "o02",
        "Brian Kowalczyk",
        "Systems Administrator",
        "Systems administrator for mixed estates.",
        [
            R(
                "Senior Systems Administrator",
                "Ridgeway Council",
                (2016, 1),
                None,
                [
                    "Administers {Linux} and {Windows Server} on {VMware}.",
                    "Automates patching with {Bash} and {Ansible}.",
                ],
            ),
            R(
                "Systems Administrator",
                "Ridgeway Council",
                (2012, 1),
                (2015, 12),
                [
                    "Looked after {Active Directory} and backups.",
                ],
            ),
        ],
        "{Linux}, {Windows Server}, {VMware}, {Bash}, {Ansible}, {Active Directory}",
        "HND Computing, Coventry College, 2011",
        {"J6": 1},
        dates="year",
        layout="B",
    ),
    Person(
        "o03",
        "Isabel Duarte",
        "Cloud Engineer",
        "Cloud engineer on {Azure}.",
        [
            R(
                "Cloud Engineer",
                "Solace Insurance",
                (2020, 4),
                None,
                [
                    "Builds {Azure} landing zones with {Terraform}; runs workloads on {AKS|Azure Kubernetes Service} ({Kubernetes}).",
                    "Maintains {Azure DevOps} pipelines for {CI/CD}; {Linux} build agents.",
                ],
            ),
            R(
                "Support Engineer",
                "Solace Insurance",
                (2019, 1),
                (2020, 3),
                [
                    "Supported {Linux} and {Windows Server} hosts.",
                ],
            ),
        ],
        "{Azure}, {Terraform}, {Kubernetes}, {Azure Kubernetes Service}, {Azure DevOps}, {CI/CD}, {Linux}, {Windows Server}",
        "B.Sc. Information Systems, Universidade de Lisboa, 2018",
        {"J6": 2},
        dates="full",
        layout="C",
        headings="upper",
    ),
    Person(
        "o04",
        "Ethan Brooks",
        "Junior DevOps Engineer",
        "Junior engineer automating builds.",
        [
            R(
                "Junior {DevOps} Engineer",
                "Pixelforge",
                (2024, 6),
                None,
                [
                    "Maintains {Jenkins} pipelines and {Docker} images; deploys to {AWS}.",
                    "Works on {Linux} daily.",
                ],
            ),
        ],
        "{Jenkins}, {Docker}, {AWS}, {Linux}, {Bash}",
        "B.Sc. Computing, Sheffield Hallam University, 2024",
        {"J6": 1},
        layout="A",
    ),
    Person(
        "o05",
        "Kayla Morgan",
        "DevOps Engineer",
        "{DevOps} Engineer.",
        [
            R(
                "{Customer Service} Agent",
                "Brightline Telecom",
                (2018, 5),
                None,
                [
                    "Answers customer calls about billing and outages.",
                ],
            ),
        ],
        _stuffed("J6"),
        "High school diploma, Lakeview High School, 2017",
        {},
        keywords=JOBS["J6"]["description"],
    ),
    # ----- other fields ------------------------------------------------------------------
    Person(
        "s01",
        "Oscar Lindgren",
        "Account Executive",
        "B2B seller for software companies.",
        [
            R(
                "Senior Account Executive",
                "Clearpath Software",
                (2020, 1),
                None,
                [
                    "Closes mid-market deals; {negotiation|Negotiation} of multi-year contracts.",
                    "Runs the pipeline in {Salesforce}.",
                ],
            ),
            R(
                "Sales Development Representative",
                "Clearpath Software",
                (2018, 6),
                (2019, 12),
                [
                    "{Cold calling|Cold Calling} and {lead generation|Lead Generation}.",
                ],
            ),
        ],
        "{Salesforce}, {Negotiation}, {Lead Generation}, {Cold Calling}, {B2B Sales}",
        "B.A. Business Administration, Uppsala University, 2018",
        {},
        dates="num",
        layout="B",
    ),
    Person(
        "m01",
        "Isla Robertson",
        "Digital Marketing Manager",
        "Marketer for search and content.",
        [
            R(
                "{Digital Marketing} Manager",
                "Heathervale Outdoor",
                (2021, 3),
                None,
                [
                    "Owns {SEO} and {Google Ads} {budgets|Budgeting}; plans {content marketing|Content Marketing}.",
                    "Reports in {Google Analytics}.",
                ],
            ),
            R(
                "Marketing Executive",
                "Heathervale Outdoor",
                (2019, 9),
                (2021, 2),
                [
                    "Ran {email marketing|Email Marketing} campaigns.",
                ],
            ),
        ],
        "{SEO}, {Google Ads}, {Content Marketing}, {Google Analytics}, {Email Marketing}",
        "M.A. Marketing, University of Strathclyde, 2019",
        {},
        dates="full",
        layout="D",
    ),
    Person(
        "t01",
        "Benjamin Adeyemi",
        "Secondary School Teacher",
        "Teacher of physics.",
        [
            R(
                "Physics Teacher",
                "Hollins Park Academy",
                (2017, 9),
                None,
                [
                    "{Teaching} physics to students aged eleven to eighteen; {curriculum development|Curriculum Development} for the science department.",
                ],
            ),
        ],
        "{Teaching}, {Curriculum Development}, {Classroom Management}",
        "PGCE Physics, University of Nottingham, 2017",
        {},
        layout="A",
    ),
    Person(
        "c01",
        "Ingrid Halvorsen",
        "Embedded Software Engineer",
        "Embedded engineer for motor controllers.",
        [
            R(
                "Senior Embedded Software Engineer",
                "Fjell Robotics",
                (2017, 3),
                None,
                [
                    "Writes {C} and {C++} firmware for motor controllers on an {RTOS|Embedded Systems}.",
                    "Builds test rigs on {Linux} with {Python} scripts.",
                ],
            ),
        ],
        "{C}, {C++}, {Embedded Systems}, {Linux}, {Python}",
        "M.Sc. {Electrical Engineering}, NTNU, 2016",
        {"J6": 0, "J1": 0},
        dates="mon",
        layout="C",
    ),
    Person(
        "u01",
        "Camille Rousseau",
        "UX Researcher",
        "Researcher for health products.",
        [
            R(
                "UX Researcher",
                "Clarity Health Apps",
                (2021, 10),
                None,
                [
                    "Plans {usability testing|User Research} and interviews; synthesises findings in {Figma}.",
                ],
            ),
        ],
        "{User Research}, {Figma}, {UX Design}",
        "M.Sc. Human-Computer Interaction, Universite Paris-Saclay, 2021",
        {"J2": 0},
        layout="B",
    ),
]

# --- rendering ----------------------------------------------------------------------------------

_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTH_FULL = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_HEADINGS = {
    "title": {
        "summary": "Summary", "skills": "Skills", "experience": "Experience",
        "education": "Education", "projects": "Projects", "certifications": "Certifications",
        "keywords": "Keywords",
    },
    "upper": {
        "summary": "PROFESSIONAL SUMMARY", "skills": "TECHNICAL SKILLS",
        "experience": "WORK EXPERIENCE", "education": "EDUCATION", "projects": "PROJECTS",
        "certifications": "LICENSES & CERTIFICATIONS", "keywords": "KEYWORDS",
    },
    "alt": {
        "summary": "Profile", "skills": "Core Competencies:", "experience": "Employment History",
        "education": "Academic Background", "projects": "Selected Projects",
        "certifications": "Certificates", "keywords": "Keywords",
    },
}  # fmt: skip


def _point(point: Point | None, style: str) -> str:
    if point is None:
        return "Present" if style != "num" else "present"
    year, month = point
    month = month or 1
    if style == "year":
        return str(year)
    if style == "full":
        return f"{_MONTH_FULL[month - 1]} {year}"
    if style == "num":
        return f"{month:02d}/{year}"
    if style == "iso":
        return f"{year}-{month:02d}"
    return f"{_MONTH_ABBR[month - 1]} {year}"


def _dates(role: Role, style: str) -> str:
    joiner = " to " if style == "num" else " \u2013 "
    return _point(role.start, style) + joiner + _point(role.end, style)


def _role_header(role: Role, person: Person) -> str:
    dates = _dates(role, person.dates)
    if person.layout == "A":
        return f"{dates}  {role.title}, {role.company}, {role.city}"
    if person.layout == "B":
        return f"{role.title} | {role.company} | {dates}"
    if person.layout == "C":
        return f"{role.title} at {role.company}\n{dates}"
    if person.layout == "D":
        return f"{role.company} \u2014 {role.title}\n{dates}"
    if person.layout == "E":
        start, end = dates.split(" \u2013 ") if " \u2013 " in dates else dates.split(" to ")
        return f"{start} \u2013\n{end}\n{role.title}, {role.company}, {role.city}"
    return f"{role.title}, {role.company} ({dates})"


def _months(point: Point, style: str, end: bool, as_of: date) -> int:
    year, month = point
    if style == "year":
        return year * 12
    return year * 12 + (month or 1) - 1 + (1 if end else 0)


def true_years(person: Person, as_of: date = AS_OF) -> float:
    spans = []
    now = as_of.year * 12 + as_of.month - 1 + 1
    for role in person.roles:
        start = _months(role.start, person.dates, False, as_of)
        end = now if role.end is None else _months(role.end, person.dates, True, as_of)
        spans.append((start, end))
    total, current = 0, None
    for start, end in sorted(spans):
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += current[1] - current[0]
        current = (start, end)
    if current:
        total += current[1] - current[0]
    return round(total / 12, 2)


def render(person: Person) -> tuple[str, list[str]]:
    """The resume text and the canonical skills tagged in it."""
    heads = _HEADINGS[person.headings]
    b = person.bullet
    email = ".".join(person.name.lower().split()) + "@example.org"
    lines = [person.name, person.headline, f"{email} | +44 20 7946 0{len(person.name):03d}"]
    if person.personal:
        lines.append(person.personal)
    lines += ["", heads["summary"], person.summary, "", heads["skills"], person.skills, ""]
    lines.append(heads["experience"])
    for role in person.roles:
        lines.append(_role_header(role, person))
        lines += [b + bullet for bullet in role.bullets]
        lines.append("")
    if person.projects:
        lines.append(heads["projects"])
        lines += [b + p for p in person.projects]
        lines.append("")
    lines += [heads["education"], person.education, ""]
    if person.certifications:
        lines.append(heads["certifications"])
        lines += [b + c for c in person.certifications]
        lines.append("")
    if person.keywords:
        lines += [heads["keywords"], person.keywords, ""]
    raw = "\n".join(lines).rstrip() + "\n"
    tagged = [m.group(2) or m.group(1) for m in _TAG.finditer(raw)]
    text = _TAG.sub(lambda m: m.group(1), raw)
    return text, list(dict.fromkeys(tagged))


def build(out: Path = HERE) -> None:
    from recur_desktop.analysis import load_vocabulary

    vocabulary = load_vocabulary()
    folder = out / "resumes"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    labels = {}
    for person in PEOPLE:
        text, skills = render(person)
        unknown = [s for s in skills if vocabulary.get(s) is None or vocabulary.get(s).name != s]
        if unknown:
            raise SystemExit(f"{person.key}: not canonical vocabulary names: {unknown}")
        (folder / f"{person.key}.txt").write_text(text, encoding="utf-8")
        labels[person.key] = {
            "name": person.name,
            "skills": sorted(skills),
            "years": true_years(person),
            "relevance": {job: person.relevance.get(job, 0) for job in JOBS},
            "personal": person.personal,
        }
    document = {"as_of": AS_OF.isoformat(), "jobs": JOBS, "resumes": labels}
    (out / "labels.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(labels)} resumes and {len(JOBS)} jobs to {out}")


if __name__ == "__main__":
    build()

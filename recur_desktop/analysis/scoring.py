"""The scoring formula, with every weight in one place (documented in docs/scoring.md).

Changing any number here changes scores: bump ``EvidenceAnalyzer.version`` in the same change so
old and new scores are never silently mixed in one ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from recur_desktop.analysis.job import JobRequirements, seniority, title_terms
from recur_desktop.analysis.resume import (
    EDUCATION_LEVELS,
    EXPERIENCE,
    IN_CERTIFICATION,
    IN_EDUCATION,
    IN_HEADER,
    IN_LIST,
    IN_PROJECT,
    IN_PROSE,
    IN_ROLE,
    ResumeProfile,
    SkillEvidence,
    place_of,
)
from recur_desktop.analysis.skills import SkillVocabulary, find_phrase
from recur_desktop.domain import AnalysisResult


@dataclass(frozen=True)
class Weights:
    # A required skill counts twice as much as a preferred one.
    required: float = 2.0
    preferred: float = 1.0
    # How much a skill counts by where the resume shows it (its best place counts).
    evidence: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                IN_ROLE: 1.0,  # named inside a dated job
                IN_PROJECT: 0.8,  # inside a project
                IN_CERTIFICATION: 0.75,
                IN_PROSE: 0.7,  # a sentence in the summary or an undated part of the experience
                IN_EDUCATION: 0.6,
                IN_LIST: 0.5,  # a bare keyword block: anyone can type it
                IN_HEADER: 0.4,  # the headline under the name
            }
        )
    )
    # A missing skill earns this share of the credit of a skill that implies it (HTML for a
    # React developer) or, failing that, of a same-family skill (MySQL for PostgreSQL).
    implied: float = 0.7
    related: float = 0.4
    # Overall fit = weighted mean of the components that apply to the job.
    skills: float = 0.55
    years: float = 0.15
    recency: float = 0.10
    title: float = 0.12
    education: float = 0.08
    # Non-skill components count in proportion to skill coverage: a senior title with none of
    # the skills is no fit. factor = floor + (1 - floor) * skill score / 100.
    others_floor: float = 0.4
    # Recency: full credit for a skill used within this many months, falling linearly to
    # ``recency_floor`` at ``recency_old`` months; skills no dated role uses get
    # ``recency_undated``.
    recency_full: int = 24
    recency_old: int = 120
    recency_floor: float = 0.4
    recency_undated: float = 0.5
    # Title: share of the job title's function words found in a role title, and seniority fit.
    title_function: float = 0.7
    title_seniority: float = 0.3
    title_older_role: float = 0.85  # a match in an earlier role counts this much
    title_headline: float = 0.5  # a match only in the headline under the name (easy to type)
    # Copying: when this share of the job description's 6-word runs appears in the resume,
    # multiply the overall score by ``copy_penalty``.
    copy_share: float = 0.25
    copy_penalty: float = 0.6
    # General analysis (no job): breadth, depth and how much of it is backed by dated roles.
    general_full_skills: float = 12.0  # evidence points for a full skills score
    general_full_years: float = 10.0
    general_skills: float = 0.45
    general_years: float = 0.35
    general_evidence: float = 0.20
    general_soft_factor: float = 0.5  # soft skills count half toward breadth


WEIGHTS = Weights()


@dataclass(frozen=True)
class SkillFinding:
    skill: str
    weight: float
    credit: float  # 0..1
    place: str | None  # best place, None when not found
    evidence: SkillEvidence | None
    related_to: str | None = None
    implied: bool = False  # credited through ``related_to``, which implies this skill


@dataclass(frozen=True)
class Breakdown:
    """Every component of one job score, for the reasoning, the tests and the benchmarks."""

    skills: float
    years: float | None
    recency: float | None
    title: float | None
    education: float | None
    copied_share: float
    overall: float
    findings: tuple[SkillFinding, ...]


def strength(evidence: SkillEvidence, weights: Weights = WEIGHTS) -> tuple[float, str]:
    """The credit of a skill's best place, and that place."""
    best = max(evidence.places, key=lambda p: weights.evidence.get(p, 0.0))
    return weights.evidence.get(best, 0.0), best


def _find(profile: ResumeProfile, skill: str, vocabulary: SkillVocabulary) -> SkillEvidence | None:
    evidence = profile.skills.get(skill)
    if evidence is not None or vocabulary.get(skill) is not None:
        return evidence
    # A job skill the vocabulary lacks: look for the phrase itself.
    mentions = find_phrase(profile.tokens, skill)
    if not mentions:
        return None
    found = SkillEvidence(skill, "other")
    for mention in mentions:
        place, role = place_of(profile, mention.start)
        found.places.add(place)
        found.mentions += 1
        if role is not None and role.kind == EXPERIENCE and role not in found.roles:
            found.roles.append(role)
    return found


def _recency(evidence: SkillEvidence, today: int, weights: Weights) -> float:
    if evidence.last_used is None:
        return weights.recency_undated
    age = max(0, today + 1 - evidence.last_used)
    if age <= weights.recency_full:
        return 1.0
    if age >= weights.recency_old:
        return weights.recency_floor
    span = weights.recency_old - weights.recency_full
    return 1.0 - (1.0 - weights.recency_floor) * (age - weights.recency_full) / span


def _title_fit(profile: ResumeProfile, job: JobRequirements, weights: Weights) -> float | None:
    if not job.title_terms:
        return None
    latest = profile.latest_role
    best = 0.0
    for role in profile.roles:
        terms = title_terms(role.title)
        share = len(job.title_terms & terms) / len(job.title_terms)
        best = max(best, share * (1.0 if role is latest else weights.title_older_role))
    headline = profile.headline
    if headline:
        share = len(job.title_terms & title_terms(headline)) / len(job.title_terms)
        best = max(best, share * weights.title_headline)
    if job.level is None:
        return best
    level = seniority(latest.title) if latest else None
    if level is None:
        level = 1 if profile.years < 2 else 2 if profile.years < 5 else 3
    gap = level - job.level
    fit = 1.0 if 0 <= gap <= 1 else 0.8 if gap > 1 else 0.6 if gap == -1 else 0.25
    return weights.title_function * best + weights.title_seniority * fit


def score_job(
    profile: ResumeProfile,
    job: JobRequirements,
    vocabulary: SkillVocabulary,
    weights: Weights = WEIGHTS,
) -> Breakdown:
    findings: list[SkillFinding] = []
    for names, weight in ((job.required, weights.required), (job.preferred, weights.preferred)):
        for skill in names:
            evidence = _find(profile, skill, vocabulary)
            implying = _implying(profile, skill, vocabulary, weights)
            implied_credit = weights.implied * strength(implying, weights)[0] if implying else 0.0
            if evidence is not None:
                credit, place = strength(evidence, weights)
                if implying is not None and implied_credit > credit:
                    # Listed, and shown through a skill that implies it: HTML next to React
                    # used in a dated role is better evidence than the listing alone.
                    findings.append(
                        SkillFinding(
                            skill, weight, implied_credit, place, evidence, implying.skill, True
                        )
                    )
                else:
                    findings.append(SkillFinding(skill, weight, credit, place, evidence))
                continue
            related = _related(profile, skill, vocabulary, weights)
            implied_credit = weights.implied * strength(implying, weights)[0] if implying else 0.0
            related_credit = weights.related * strength(related, weights)[0] if related else 0.0
            if implying is not None and implied_credit >= related_credit:
                findings.append(
                    SkillFinding(
                        skill, weight, implied_credit, None, implying, implying.skill, True
                    )
                )
            elif related is not None:
                findings.append(
                    SkillFinding(skill, weight, related_credit, None, related, related.skill)
                )
            else:
                findings.append(SkillFinding(skill, weight, 0.0, None, None))
    total = sum(f.weight for f in findings)
    skills = 100.0 * sum(f.weight * f.credit for f in findings) / total if total else 0.0

    years = None
    if job.min_years:
        years = 100.0 * min(1.0, profile.years / job.min_years)
    found = [
        (f.weight, f.evidence) for f in findings if f.place is not None and f.evidence is not None
    ]
    recency = None
    if findings:
        weight_found = sum(weight for weight, _ in found)
        recency = (
            100.0
            * sum(weight * _recency(evidence, profile.today, weights) for weight, evidence in found)
            / weight_found
            if weight_found
            else 0.0
        )
    title = _title_fit(profile, job, weights)
    title = None if title is None else 100.0 * title
    education = None
    if job.education:
        gap = profile.education - job.education
        education = 100.0 if gap >= 0 else 50.0 if gap == -1 else 0.0

    others = [
        (weights.years, years),
        (weights.recency, recency),
        (weights.title, title),
        (weights.education, education),
    ]
    factor = weights.others_floor + (1.0 - weights.others_floor) * skills / 100.0
    numerator = weights.skills * skills + sum(w * v * factor for w, v in others if v is not None)
    denominator = weights.skills + sum(w for w, v in others if v is not None)
    overall = numerator / denominator
    copied = copied_share(profile, job)
    if copied >= weights.copy_share:
        overall *= weights.copy_penalty
    return Breakdown(
        skills=round(skills, 1),
        years=None if years is None else round(years, 1),
        recency=None if recency is None else round(recency, 1),
        title=None if title is None else round(title, 1),
        education=education,
        copied_share=copied,
        overall=round(max(0.0, min(100.0, overall)), 1),
        findings=tuple(findings),
    )


def copied_share(profile: ResumeProfile, job: JobRequirements) -> float:
    """Share of the job description's 6-word runs that the resume repeats word for word."""
    if len(job.shingles) < 20:
        return 0.0
    return len(job.shingles & profile.word_runs) / len(job.shingles)


def _implying(
    profile: ResumeProfile, skill: str, vocabulary: SkillVocabulary, weights: Weights
) -> SkillEvidence | None:
    """The best-evidenced skill on the resume that implies ``skill`` (React for HTML)."""
    candidates = [
        profile.skills[name]
        for name in vocabulary.implied_by.get(skill, ())
        if name in profile.skills
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda e: (strength(e, weights)[0], e.months, e.skill))


def _related(
    profile: ResumeProfile, skill: str, vocabulary: SkillVocabulary, weights: Weights
) -> SkillEvidence | None:
    family = vocabulary.family(skill)
    if not family:
        return None
    family_of = vocabulary.family_of
    candidates = [
        e for name, e in profile.skills.items() if name != skill and family_of.get(name) == family
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda e: (strength(e, weights)[0], e.months, e.skill))


# --- explanations -------------------------------------------------------------------------------

_PLACE_WORDS = {
    IN_PROJECT: "in a project",
    IN_PROSE: "mentioned in the summary or an undated passage",
    IN_CERTIFICATION: "in the certifications",
    IN_LIST: "listed in a skills section only, no dated role mentions it",
    IN_EDUCATION: "in the education section",
    IN_HEADER: "only in the headline",
}


def _years_text(months: int) -> str:
    years = months / 12.0
    return f"{years:.1f} years" if years >= 1 else f"{months} months"


def evidence_text(evidence: SkillEvidence, place: str) -> str:
    """Where a skill was found, specific enough for a recruiter to check."""
    if place == IN_ROLE and evidence.roles:
        roles = sorted(evidence.roles, key=lambda r: (r.dates.end, r.dates.start), reverse=True)
        cited = "; ".join(r.label() for r in roles[:2])
        more = f" and {len(roles) - 2} more" if len(roles) > 2 else ""
        return f"{cited}{more} ({_years_text(evidence.months)})"
    if place == IN_PROJECT:
        return "in a project"
    return _PLACE_WORDS.get(place, place)


def verdict(score: float) -> str:
    if score >= 80:
        return "Strong match"
    if score >= 60:
        return "Good match"
    if score >= 40:
        return "Partial match"
    return "Weak match"


def explain_job(
    profile: ResumeProfile, job: JobRequirements, result: Breakdown, weights: Weights = WEIGHTS
) -> AnalysisResult:
    required = [f for f in result.findings if f.weight == weights.required]
    preferred = [f for f in result.findings if f.weight != weights.required]
    lines: list[str] = []
    if job.inferred_skills:
        lines.append("The job lists no skills; these were read from its description.")
    for label, group in (("Required", required), ("Preferred", preferred)):
        if not group:
            continue
        found = sum(1 for f in group if f.place)
        lines.append(f"{label} skills ({found} of {len(group)} found):")
        for f in group:
            if f.place and f.evidence is not None:
                line = f"- {f.skill} \u2014 {evidence_text(f.evidence, f.place)}"
                if f.implied and f.related_to:
                    implying = profile.skills[f.related_to]
                    line += (
                        f"; also implied by {f.related_to}: "
                        f"{evidence_text(implying, strength(implying, weights)[1])}"
                    )
                lines.append(line)
            elif f.implied and f.related_to and f.evidence is not None:
                _, place = strength(f.evidence, weights)
                lines.append(
                    f"- {f.skill} \u2014 not named; implied by {f.related_to}: "
                    f"{evidence_text(f.evidence, place)}"
                )
            elif f.related_to and f.evidence is not None:
                _, place = strength(f.evidence, weights)
                lines.append(
                    f"- {f.skill} \u2014 not found; partial credit for the related "
                    f"{f.related_to}: {evidence_text(f.evidence, place)}"
                )
            else:
                lines.append(f"- {f.skill} \u2014 not found")
    lines.append(_experience_line(profile, job))
    if result.title is not None:
        latest = profile.latest_role
        shown = f"\u201c{latest.title}\u201d" if latest else "no dated role"
        lines.append(
            f"Title: the job is \u201c{job.title}\u201d; latest role {shown} "
            f"(fit {result.title:.0f}/100)."
        )
    if result.education is not None:
        lines.append(
            f"Education: {EDUCATION_LEVELS[profile.education]} found; the job asks for "
            f"{EDUCATION_LEVELS[job.education]}."
        )
    if result.copied_share >= weights.copy_share:
        lines.append(
            f"Warning: {result.copied_share:.0%} of the job description appears word for word in "
            f"the resume; the overall score is multiplied by {weights.copy_penalty:g}."
        )
    listed_only = [f.skill for f in result.findings if f.place == IN_LIST]
    if listed_only:
        lines.append(
            "Listed but not shown in any dated role (counted at "
            f"{weights.evidence[IN_LIST]:.0%}): {', '.join(listed_only)}."
        )
    lines.append(_formula_line(result, weights))

    req_found = sum(1 for f in required if f.place)
    in_roles = sum(1 for f in required if f.place == IN_ROLE)
    years_part = f"{profile.years:g} years of experience"
    if job.min_years:
        years_part += f" (asks {job.min_years:g}+)"
    summary = (
        f"{verdict(result.overall)} for {job.title} ({result.overall:g}/100): "
        + (
            f"{req_found} of {len(required)} required skills found, "
            f"{in_roles} used in dated roles; "
            if required
            else f"{sum(1 for f in preferred if f.place)} of {len(preferred)} preferred skills "
            "found; "
        )
        + years_part
        + "."
    )
    matched = tuple(f.skill for f in result.findings if f.place)
    missing = tuple(f.skill for f in result.findings if not f.place)
    return AnalysisResult(
        overall_fit_score=result.overall,
        skill_match_score=result.skills,
        summary=summary,
        reasoning="\n".join(lines),
        matched_skills=matched,
        missing_skills=missing,
    )


def _experience_line(profile: ResumeProfile, job: JobRequirements | None) -> str:
    roles = profile.roles
    if not roles:
        text = "Experience: no dated roles found, so 0 years counted."
    else:
        first = min(r.dates.start for r in roles) // 12
        current = any(r.dates.current for r in roles)
        last = "present" if current else str(max(r.dates.end_year for r in roles))
        text = (
            f"Experience: {profile.years:g} years from {len(roles)} dated "
            f"role{'s' if len(roles) != 1 else ''} ({first}\u2013{last}), overlaps counted once"
        )
        text += "."
    if job is not None and job.min_years:
        source = " (from the description)" if job.min_years_source == "description" else ""
        text = text[:-1] + f"; the job asks for {job.min_years:g}+ years{source}."
    return text


def _formula_line(result: Breakdown, weights: Weights) -> str:
    parts = [f"skills {result.skills:.0f} \u00d7 {weights.skills:g}"]
    for name, value, weight in (
        ("experience", result.years, weights.years),
        ("recency", result.recency, weights.recency),
        ("title", result.title, weights.title),
        ("education", result.education, weights.education),
    ):
        if value is not None:
            parts.append(f"{name} {value:.0f} \u00d7 {weight:g}")
    factor = weights.others_floor + (1 - weights.others_floor) * result.skills / 100
    text = (
        f"Score: ({' + '.join(parts)}), the non-skill parts scaled by {factor:.2f} for skill "
        f"coverage, divided by the weights used = {result.overall:g}"
    )
    if result.copied_share >= weights.copy_share:
        text += " after the copying penalty"
    return text + "."


# --- general analysis ---------------------------------------------------------------------------


def score_general(
    profile: ResumeProfile, vocabulary: SkillVocabulary, weights: Weights = WEIGHTS
) -> AnalysisResult:
    """A job-free profile score: breadth of evidenced skills, years, and how much is backed."""
    ranked = sorted(
        profile.skills.values(),
        key=lambda e: (-strength(e, weights)[0], -e.months, e.skill.casefold()),
    )
    points = 0.0
    hard = [e for e in ranked if e.category != "soft"]
    for evidence in ranked:
        credit, _ = strength(evidence, weights)
        points += credit * (weights.general_soft_factor if evidence.category == "soft" else 1.0)
    skills = 100.0 * min(1.0, points / weights.general_full_skills)
    years = 100.0 * min(1.0, profile.years / weights.general_full_years)
    backed = sum(1 for e in hard if e.roles)
    evidence_share = 100.0 * backed / len(hard) if hard else 0.0
    overall = (
        weights.general_skills * skills
        + weights.general_years * years
        + weights.general_evidence * evidence_share
    ) / (weights.general_skills + weights.general_years + weights.general_evidence)
    overall = round(overall, 1)
    lines = []
    with_roles = [e for e in ranked if e.roles]
    if with_roles:
        lines.append("Skills used in dated roles:")
        for e in sorted(with_roles, key=lambda e: (-e.months, e.skill.casefold()))[:10]:
            lines.append(f"- {e.skill} \u2014 {evidence_text(e, IN_ROLE)}")
    others = [e.skill for e in ranked if not e.roles]
    if others:
        lines.append(f"Skills named without a dated role: {', '.join(others[:20])}.")
    if not ranked:
        lines.append("No skills from the vocabulary were recognised.")
    lines.append(_experience_line(profile, None))
    lines.append(f"Education: {EDUCATION_LEVELS[profile.education]}.")
    lines.append(
        f"Score: (breadth {skills:.0f} \u00d7 {weights.general_skills:g} + experience "
        f"{years:.0f} \u00d7 {weights.general_years:g} + backed by roles {evidence_share:.0f} "
        f"\u00d7 {weights.general_evidence:g}) = {overall:g}. Breadth is full at "
        f"{weights.general_full_skills:g} evidence points (a skill in a dated role is 1, a listed "
        f"one {weights.evidence[IN_LIST]:g}); experience is full at "
        f"{weights.general_full_years:g} years."
    )
    summary = (
        f"General profile ({overall:g}/100): {len(ranked)} recognised skills, {backed} of them "
        f"used in dated roles; {profile.years:g} years of dated experience."
    )
    return AnalysisResult(
        overall_fit_score=overall,
        skill_match_score=round(skills, 1),
        summary=summary,
        reasoning="\n".join(lines),
        matched_skills=tuple(e.skill for e in ranked),
        missing_skills=(),
    )

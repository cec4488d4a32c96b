"""Scoring a resume against a job (or on its own, for general analysis)."""

from recur_desktop.analysis.base import AnalysisError, Analyzer
from recur_desktop.analysis.builtin import EvidenceAnalyzer, SkillCoverageAnalyzer
from recur_desktop.analysis.job import ProposedRequirements, propose_job_requirements
from recur_desktop.analysis.keyword import KeywordOverlapAnalyzer
from recur_desktop.analysis.llm import LLMAnalyzer, LLMConfig
from recur_desktop.analysis.resume import ResumeProfile, profile_resume
from recur_desktop.analysis.skills import SkillVocabulary, load_vocabulary
from recur_desktop.domain.provenance import (
    analyzer_label,
    describe_analyzer,
    describe_analyzers,
    split_analyzer,
)

__all__ = [
    "AnalysisError",
    "Analyzer",
    "EvidenceAnalyzer",
    "KeywordOverlapAnalyzer",
    "LLMAnalyzer",
    "LLMConfig",
    "ProposedRequirements",
    "ResumeProfile",
    "SkillCoverageAnalyzer",
    "SkillVocabulary",
    "analyzer_label",
    "describe_analyzer",
    "describe_analyzers",
    "load_vocabulary",
    "profile_resume",
    "propose_job_requirements",
    "split_analyzer",
]

"""Scoring a resume against a job (or on its own, for general analysis)."""

from recur_desktop.analysis.base import AnalysisError, Analyzer
from recur_desktop.analysis.keyword import SkillCoverageAnalyzer
from recur_desktop.analysis.skills import SkillVocabulary, load_vocabulary

__all__ = [
    "AnalysisError",
    "Analyzer",
    "SkillCoverageAnalyzer",
    "SkillVocabulary",
    "load_vocabulary",
]

"""The analyzer names the domain's words are keyed on are the names the analyzers store."""

from __future__ import annotations

from recur_desktop import analysis
from recur_desktop.analysis import EvidenceAnalyzer, KeywordOverlapAnalyzer, LLMAnalyzer
from recur_desktop.domain import provenance


def test_the_domain_names_are_the_names_the_analyzers_store():
    assert EvidenceAnalyzer.name == provenance.EVIDENCE_NAME
    assert KeywordOverlapAnalyzer.name == provenance.KEYWORD_NAME
    assert LLMAnalyzer.name == provenance.LLM_NAME


def test_analysis_still_offers_the_same_words():
    for name in ("analyzer_label", "describe_analyzer", "describe_analyzers", "split_analyzer"):
        assert getattr(analysis, name) is getattr(provenance, name)

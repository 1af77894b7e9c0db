"""Content model: taxonomies (snippets) and the page types of the knowledge base."""

from .article import ArticleIndexPage, ArticlePage, ArticlePageTag
from .pages import HomePage
from .practice import (
    PracticeAttachment,
    PracticeIndexPage,
    PracticeLegalReference,
    PracticePage,
    PracticePageTag,
)
from .report import ReportIndexPage, ReportLegalReference, ReportPage, ReportPageTag
from .taxonomy import County, FundingSource, Law, LegalProvision, Municipality, TargetGroup, Theme

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "County",
    "FundingSource",
    "HomePage",
    "Law",
    "LegalProvision",
    "Municipality",
    "PracticeAttachment",
    "PracticeIndexPage",
    "PracticeLegalReference",
    "PracticePage",
    "PracticePageTag",
    "ReportIndexPage",
    "ReportLegalReference",
    "ReportPage",
    "ReportPageTag",
    "TargetGroup",
    "Theme",
]

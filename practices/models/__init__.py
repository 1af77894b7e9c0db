"""Content model: taxonomies (snippets) and the page types of the knowledge base."""

from .article import ArticleIndexPage, ArticlePage, ArticlePageTag
from .imports import ImportRecord
from .info import AccessibilityStatementPage, InfoPage
from .loaded_rows import LoadedRow
from .pages import HomePage
from .practice import (
    PracticeAttachment,
    PracticeIndexPage,
    PracticeLegalReference,
    PracticePage,
    PracticePageTag,
)
from .reminders import ReviewReminder
from .report import ReportIndexPage, ReportLegalReference, ReportPage, ReportPageTag
from .site_texts import SiteTexts
from .submissions import Submission, SubmissionFile, SubmissionStatus
from .taxonomy import County, FundingSource, Law, LegalProvision, Municipality, TargetGroup, Theme
from .workflow import FourEyesApprovalTask

__all__ = [
    "AccessibilityStatementPage",
    "InfoPage",
    "SiteTexts",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "County",
    "FourEyesApprovalTask",
    "FundingSource",
    "HomePage",
    "ImportRecord",
    "Law",
    "LoadedRow",
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
    "ReviewReminder",
    "Submission",
    "SubmissionFile",
    "SubmissionStatus",
    "TargetGroup",
    "Theme",
]

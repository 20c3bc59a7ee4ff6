"""The adviser report: one self-contained HTML file and a PDF from a comparison directory."""

from .content import ReportContent, build_content
from .command import write_report

__all__ = ["ReportContent", "build_content", "write_report"]

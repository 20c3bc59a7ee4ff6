"""Markdown on the dashboard's pages without Solara's maths renderer.

``solara.Markdown`` loads KaTeX (the maths renderer) from Solara's CDN route every time one is
drawn, whether or not the text has maths; in a classroom without internet each load failed
with a 404 and a page error in the browser's console (17 on the trainer's console in one
session of the 2026-12-03 trial). The pages' text has no maths: it is rendered here to HTML
with python-markdown (Solara's own Markdown library) and shown as HTML, with the same classes
(and so the same styles) as Solara's Markdown. Text is escaped first, so names from a
territory's data files cannot inject markup.
"""

from __future__ import annotations

import html

import markdown
import solara

CLASSES = ["solara-markdown", "rendered_html", "jp-RenderedHTMLCommon"]
"""Solara's Markdown's classes, which its styles (tables, bold) select."""


def to_html(text: str) -> str:
    """``text`` (Markdown with tables; any HTML in it escaped) as HTML."""
    return markdown.markdown(html.escape(text, quote=False), extensions=["tables"])


@solara.component
def Markdown(text: str):
    """``text`` as HTML (:func:`to_html`), styled as ``solara.Markdown``, without loading KaTeX."""
    solara.HTML(tag="div", unsafe_innerHTML=to_html(text), classes=CLASSES)

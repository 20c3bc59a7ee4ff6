"""Markdown on the dashboard's pages without Solara's maths renderer.

``solara.Markdown`` loads KaTeX (the maths renderer) from Solara's CDN route every time one is
drawn, whether or not the text has maths; in a classroom without internet each load failed
with a 404 and a page error in the browser's console (17 on the trainer's console in one
session of the 2026-12-03 trial). The pages' text has no maths: it is rendered here to HTML
with python-markdown (Solara's own Markdown library) and shown as HTML, with the same classes
(and so the same styles) as Solara's Markdown. HTML in the text is escaped and Markdown's links
and images are not made, so names from a territory's data files cannot inject markup.
"""

from __future__ import annotations

import html

import markdown
import solara

CLASSES = ["solara-markdown", "rendered_html", "jp-RenderedHTMLCommon"]
"""Solara's Markdown's classes, which its styles (tables, bold) select."""


LINKS = ("link", "image_link", "reference", "image_reference", "short_reference", "short_image_ref", "autolink",
         "automail")
"""python-markdown's inline patterns that make links and images: the pages' text has none, and
a name from a data file written as ``[x](javascript:...)`` or ``![i](http://...)`` must stay text
(review 23)."""


def to_html(text: str) -> str:
    """``text`` (Markdown with tables and bold; any HTML in it escaped, links and images left as
    text) as HTML."""
    md = markdown.Markdown(extensions=["tables"])
    for name in LINKS:
        md.inlinePatterns.deregister(name, strict=False)
    return md.convert(html.escape(text, quote=False))


@solara.component
def Markdown(text: str):
    """``text`` as HTML (:func:`to_html`), styled as ``solara.Markdown``, without loading KaTeX."""
    solara.HTML(tag="div", unsafe_innerHTML=to_html(text), classes=CLASSES)

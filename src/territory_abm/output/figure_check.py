"""Checks that a figure's text can be read: no two pieces of text overlap, none lies outside
the figure, and the figure has a shape that suits a page or a slide.

The check draws the figure, collects the window extents of every visible, non-empty text
artist (titles, axis and tick labels, legend entries, annotations, node and edge labels)
and compares them pairwise. Tick labels of ticks outside an axis's view are not drawn and
are left out, as are artists inside hidden axes or legends.

Use it on any :class:`matplotlib.figure.Figure`::

    problems = figure_problems(fig)
    assert not problems, "\\n".join(problems)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

OVERLAP_PX = 1.0
"""Two text boxes overlap when they share more than this many pixels in both directions."""

MAX_ASPECT = 2.6
"""Widest width-to-height ratio (and tallest height-to-width) a figure may have: a 16:9
slide is 1.8, an A4 page across 1.4; a 2200 x 352 strip is 6.25."""


@dataclass(frozen=True)
class TextBox:
    """One drawn piece of text and its extent in display pixels (x0, y0, x1, y1)."""

    text: str
    where: str
    extent: tuple[float, float, float, float]
    artist: Text | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        return f"{self.text!r} ({self.where})"


def _visible_ticks(axis: Axis) -> list[Text]:
    """Labels of the ticks inside the axis's view (the ones drawn)."""
    low, high = sorted(axis.get_view_interval())
    slack = 1e-9 * max(abs(high - low), 1e-300)
    labels = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        if not tick.get_visible() or not low - slack <= tick.get_loc() <= high + slack:
            continue
        labels.extend(label for label in (tick.label1, tick.label2) if label.get_visible())
    return labels


def _texts(artist: Artist, where: str) -> list[tuple[Text, str]]:
    """Visible text artists under ``artist`` (not descending into hidden artists)."""
    if not artist.get_visible():
        return []
    if isinstance(artist, Axis):
        found = [(label, f"{where} {axis_name(artist)} tick label") for label in _visible_ticks(artist)]
        found += [(t, f"{where} {axis_name(artist)} label") for t in (artist.label, artist.offsetText)
                  if t.get_visible()]
        return found
    found = [(artist, where)] if isinstance(artist, Text) else []
    name = type(artist).__name__
    inner = f"{where}/{name}" if name in ("Axes", "Legend", "SubFigure") else where
    if name == "Axes" and artist.get_title():
        inner = f"{where}/axes {artist.get_title()!r}"
    for child in artist.get_children():
        found.extend(_texts(child, inner))
    return found


def axis_name(axis: Axis) -> str:
    return getattr(axis, "axis_name", "axis")


def _draw(fig: Figure):
    """Lay ``fig`` out as a drawing would and return the renderer whose text extents the drawing
    uses (a closed pyplot figure gets an Agg canvas again).

    The figure is drawn without rendering (:meth:`~matplotlib.figure.Figure.draw_without_rendering`):
    every artist places itself (ticks, titles, constrained layout, annotations) and no pixel is
    painted. The extents are the same as after a full drawing, and the check no longer paints the
    figure once more before it is saved: a dashboard map spent about half its time painting for
    this check (session 27), e.g. 0.09 s of a game page's map."""
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return canvas.get_renderer()


def text_boxes(fig: Figure, renderer=None) -> list[TextBox]:
    """Window extents (pixels) of every drawn, non-empty text in ``fig`` (drawn now unless
    the ``renderer`` of a drawing just made is given)."""
    renderer = renderer or _draw(fig)
    boxes = []
    for text, where in _texts(fig, "figure"):
        if not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        if extent.width <= 0 or extent.height <= 0 or not np.isfinite(extent.extents).all():
            continue
        boxes.append(TextBox(text.get_text().replace("\n", " "), where, tuple(extent.extents), text))
    return boxes


def overlapping_text(boxes: list[TextBox], tolerance: float = OVERLAP_PX) -> list[tuple[TextBox, TextBox]]:
    """Pairs of text boxes that overlap by more than ``tolerance`` pixels in both directions."""
    if len(boxes) < 2:
        return []
    e = np.array([b.extent for b in boxes])
    width = np.minimum(e[:, None, 2], e[None, :, 2]) - np.maximum(e[:, None, 0], e[None, :, 0])
    height = np.minimum(e[:, None, 3], e[None, :, 3]) - np.maximum(e[:, None, 1], e[None, :, 1])
    hits = np.argwhere(np.triu((width > tolerance) & (height > tolerance), k=1))
    return [(boxes[i], boxes[j]) for i, j in hits]


def text_outside(fig: Figure, boxes: list[TextBox], tolerance: float = OVERLAP_PX) -> list[TextBox]:
    """Text boxes that reach beyond the figure's edges by more than ``tolerance`` pixels."""
    x1, y1 = fig.bbox.width, fig.bbox.height
    return [b for b in boxes if b.extent[0] < -tolerance or b.extent[1] < -tolerance
            or b.extent[2] > x1 + tolerance or b.extent[3] > y1 + tolerance]


def figure_problems(fig: Figure, max_aspect: float = MAX_ASPECT) -> list[str]:
    """Everything that makes ``fig`` hard to read, one sentence each (empty when none).

    Parameters
    ----------
    fig : Figure
        A finished figure (it is drawn here; closed pyplot figures can still be drawn).
    max_aspect : float
        Largest ratio of the long side to the short side.

    Returns
    -------
    list of str
        Overlapping pairs of text, text outside the figure, and a strip-like shape.
    """
    boxes = text_boxes(fig)
    problems = [f"overlapping text: {a.describe()} and {b.describe()}" for a, b in overlapping_text(boxes)]
    problems += [f"text outside the figure: {b.describe()}" for b in text_outside(fig, boxes)]
    width, height = fig.get_size_inches()
    if max(width, height) / min(width, height) > max_aspect:
        problems.append(f"figure of {width:.1f} x {height:.1f} in: more than {max_aspect:g} times as wide as high "
                        "(or high as wide) to fit a page or a slide")
    return problems


def _outside_axes(label: Text, box: TextBox, renderer, tolerance: float) -> bool:
    """Whether ``box`` (the extent of ``label``) reaches beyond its axes' frame."""
    ax = label.axes
    if ax is None:
        return False
    x0, y0, x1, y1 = ax.get_window_extent(renderer).extents
    e = box.extent
    return e[0] < x0 - tolerance or e[1] < y0 - tolerance or e[2] > x1 + tolerance or e[3] > y1 + tolerance


def hide_colliding(fig: Figure, labels: list[Text], tolerance: float = OVERLAP_PX,
                   nudges: tuple[tuple[float, float], ...] = ((0.0, 0.0),), inside_axes: bool = False) -> list[Text]:
    """Hide each of ``labels`` (in priority order, most important first) that would overlap
    any other text of the figure or a label kept before it; returns the labels kept.

    Use it for point labels (annotations) that may pile up: the first ones always show
    when there is room, the rest give way. ``nudges``: shifts (points) added in turn to an
    annotation's offset (placed in offset points) before it gives way. ``inside_axes``: a
    label must also lie within its axes (a point label below the x axis, between it and the
    tick labels, read as one of them: the Morris figure, 2026-12-03).
    """
    renderer = _draw(fig)
    mine = {id(t) for t in labels}
    taken = [b for b in text_boxes(fig, renderer) if id(b.artist) not in mine]
    kept = []
    for label in labels:
        movable = hasattr(label, "xyann")
        start = label.xyann if movable else (0.0, 0.0)
        for dx, dy in nudges if movable else nudges[:1]:
            if movable:
                label.xyann = (start[0] + dx, start[1] + dy)
            box = TextBox(label.get_text(), "label", tuple(label.get_window_extent(renderer).extents), label)
            if not any(overlapping_text([box, other], tolerance) for other in taken) and not text_outside(
                    fig, [box], tolerance) and not (inside_axes and _outside_axes(label, box, renderer, tolerance)):
                taken.append(box)
                kept.append(label)
                break
        else:
            if movable:
                label.xyann = start
            label.set_visible(False)
    return kept

"""The README's Python examples run as written (docs that cannot rot)."""

import re

from conftest import ROOT


def readme_python(section: str) -> list[str]:
    """The ```python blocks of the README section whose heading is ``section``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end if end > 0 else None], flags=re.S)


def test_the_use_from_python_examples_run(monkeypatch):
    """Every block of "Use from Python", in order in one namespace, from the repository root
    (the paths they name are relative to it)."""
    blocks = readme_python("Use from Python")
    assert len(blocks) >= 3
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert len(namespace["runs"]) > 0 and namespace["model"].steps == 6

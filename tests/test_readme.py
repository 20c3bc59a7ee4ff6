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
    namespace: dict = {"__name__": "__main__"}  # as a script runs them (the batch_run block is guarded)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert len(namespace["runs"]) > 0 and namespace["model"].steps == 6



def test_the_commands_list_names_every_command_and_option_of_the_parser(capsys):
    """The README's "Commands" block has a line for each subcommand, and that command's lines
    (up to the next ``territory-abm``) name each option of its ``--help`` usage (a researcher
    found ``--quiet`` in ``sensitivity --help`` but not in the list)."""
    import pytest

    from territory_abm.cli import build_parser

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(.*?)```", text[text.index("\n## Commands\n"):], flags=re.S).group(1)
    listed = {m.group(1): m.group(2) for m in re.finditer(r"^territory-abm (\S+)(.*?)(?=^territory-abm |\Z)", block,
                                                          flags=re.S | re.M)}
    parser = build_parser()
    commands = re.findall(r"^    (\w+)", parser.format_help(), flags=re.M)  # the COMMAND list
    missing = {}
    for name in commands:
        with pytest.raises(SystemExit):
            parser.parse_args([name, "--help"])
        usage = capsys.readouterr().out.split("\n\n")[0]
        missing[name] = [o for o in sorted(set(re.findall(r"--[\w-]+", usage)))
                         if not re.search(rf"{o}(?![\w-])", listed.get(name, ""))]
    assert sorted(commands) == sorted(listed) and not any(missing.values()), (sorted(set(commands) - set(listed)), missing)


def test_the_lever_table_gives_each_fields_default():
    """The README's lever table has a row for each registered lever whose last cell gives every
    field's default (a cash transfer without amount or coverage runs at 300 and 0.3; the
    table said so nowhere)."""
    from territory_abm.scenarios.levers import REGISTRY

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| lever | fields | defaults |" in text
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \|.*\| ([^|]*) \|$", text, flags=re.M)}
    for name, lever in REGISTRY.items():
        assert rows.get(name) == ", ".join(f"{f.name} {f.default:,g}" for f in lever.fields), name

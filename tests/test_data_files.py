"""Territory tables as they come from spreadsheets: encodings, separators, decimal commas,
names where ids are expected, and every problem of a file reported at once."""

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE
from territory_abm import InputError
from territory_abm.cli import main
from territory_abm.data import load_territory
from territory_abm.data.tables import MAX_LISTED, TableErrors, read_table

TABLES = ("municipalities.csv", "edges.csv")
ACCENTED = {"San Isidro": "San Isidro de las Peñas", "Piedra Blanca": "Piedra Blanca del Río"}


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows, *, encoding="utf-8", delimiter=",", decimal=".", newline="\n") -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow([c.replace(".", decimal) if _is_number(c) else c for c in row])
    path.write_bytes(buf.getvalue().encode(encoding))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def accented_example(directory: Path, **style) -> Path:
    """The bundled example with two accented names, written in ``style``."""
    directory.mkdir()
    for name in TABLES:
        rows = [[ACCENTED.get(c, c) for c in row] for row in rows_of(EXAMPLE / name)]
        write_rows(directory / name, rows, **style)
    return directory


def assert_same_territory(a, b) -> None:
    assert a.ids == b.ids and a.names == b.names and list(a.kinds) == list(b.kinds)
    assert a.table.keys() == b.table.keys()
    for key in a.table:
        np.testing.assert_array_equal(a.table[key], b.table[key])
    assert sorted(a.graph.edges(data=True)) == sorted(b.graph.edges(data=True))


STYLES = {
    "latin-1": {"encoding": "latin-1"},
    "utf-8 with byte-order mark": {"encoding": "utf-8-sig"},
    "semicolon and decimal comma": {"delimiter": ";", "decimal": ","},
    "semicolon, decimal comma, Latin-1, CRLF": {"delimiter": ";", "decimal": ",", "encoding": "latin-1", "newline": "\r\n"},
    "windows-1252, tab-separated": {"encoding": "cp1252", "delimiter": "\t"},
    "utf-16 with byte-order mark": {"encoding": "utf-16"},
}


@pytest.mark.parametrize("style", STYLES.values(), ids=STYLES.keys())
def test_spreadsheet_exports_read_to_the_identical_territory(tmp_path, style):
    reference = load_territory(accented_example(tmp_path / "utf8"))
    assert reference.names[0] == "San Isidro de las Peñas"  # the reference really has accents
    assert_same_territory(load_territory(accented_example(tmp_path / "styled", **style)), reference)


@pytest.mark.parametrize("style", STYLES.values(), ids=STYLES.keys())
def test_bundled_example_rewritten_reads_as_the_bundled_example(tmp_path, style):
    d = tmp_path / "t"
    d.mkdir()
    for name in TABLES:
        write_rows(d / name, rows_of(EXAMPLE / name), **style)
    assert_same_territory(load_territory(d), load_territory(EXAMPLE))


def test_reader_reports_what_it_read(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("id;name;x\nM1;Peñas;0,45\n".encode("latin-1"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.rows == [{"id": "M1", "name": "Peñas", "x": "0.45"}]
    path.write_bytes("\ufeffid,x\n\nM1,0.5\n".encode())  # BOM, blank line: row 2 is line 3
    table = read_table(path)
    assert table.header == ["id", "x"] and table.lines == [3]


def drop_columns(path: Path, names) -> None:
    rows = rows_of(path)
    keep = [i for i, h in enumerate(rows[0]) if h not in names]
    write_rows(path, [[row[i] for i in keep if i < len(row)] for row in rows])


def copy_example(tmp_path: Path) -> Path:
    d = tmp_path / "territory"
    shutil.copytree(EXAMPLE, d)
    return d


def test_every_missing_column_is_named(tmp_path):
    d = copy_example(tmp_path)
    header = rows_of(d / "municipalities.csv")[0]
    dropped = header[3:18]
    assert len(dropped) == 15
    drop_columns(d / "municipalities.csv", dropped)
    with pytest.raises(InputError) as err:
        load_territory(d)
    named = err.value.field.removeprefix("columns ").split(", ")
    assert named == dropped


def set_cells(path: Path, cells: dict) -> None:
    rows = rows_of(path)
    for (row, column), value in cells.items():
        rows[row][rows[0].index(column)] = value
    write_rows(path, rows)


def test_every_bad_cell_is_reported_with_row_column_value_and_range(tmp_path):
    d = copy_example(tmp_path)
    set_cells(d / "municipalities.csv", {(1, "income_gini"): "1.5", (3, "population"): "-5", (4, "kind"): "village",
                                         (5, "households"): "999999"})
    with pytest.raises(TableErrors) as err:
        load_territory(d)
    problems = dict(err.value.problems)
    assert set(problems) == {"row 2 (M01), column income_gini", "row 4 (M03), column population", "row 5 (M04), column kind",
                             "row 6 (M05), column households", "row 6 (M05), columns mean_farm_ha/forest_cover"}
    assert "in [0, 0.95], got 1.5" in problems["row 2 (M01), column income_gini"]
    assert "got -5" in problems["row 4 (M03), column population"]
    assert "village" in problems["row 5 (M04), column kind"]
    assert "999999 households for" in problems["row 6 (M05), column households"]  # the numbers compared
    assert "got 999999 households x" not in str(err.value)  # sanity: the farmland text names its own numbers
    assert "ha for" in problems["row 6 (M05), columns mean_farm_ha/forest_cover"]
    assert err.value.field == "5 problems" and all(field in str(err.value) for field in problems)


def test_a_share_given_as_a_percent_gets_the_share_it_would_be(tmp_path):
    """A share column (a number in [0, 1]) given as 35 or 1.5 is asked whether it is a percent,
    with the share it would be; a value above 100 or in a column of another range is not."""
    d = copy_example(tmp_path)
    set_cells(d / "municipalities.csv", {(1, "forest_cover"): "35", (2, "wage_share"): "1.5",
                                         (3, "forest_cover"): "250", (4, "income_gini"): "40"})
    with pytest.raises(TableErrors) as err:
        load_territory(d)
    problems = dict(err.value.problems)
    assert problems["row 2 (M01), column forest_cover"].endswith("got 35.0 (is it a percent? write it as a share, 0.35)")
    assert problems["row 3 (M02), column wage_share"].endswith("got 1.5 (is it a percent? write it as a share, 0.015)")
    assert "percent" not in problems["row 4 (M03), column forest_cover"]
    assert "percent" not in problems["row 5 (M04), column income_gini"]


def test_many_problems_are_capped_with_a_count_of_the_rest(tmp_path):
    d = copy_example(tmp_path)
    columns = ["poverty_rate", "income_gini", "forest_cover"]
    set_cells(d / "municipalities.csv", {(r, c): "7" for r in range(1, 11) for c in columns})
    with pytest.raises(TableErrors) as err:
        load_territory(d)
    assert len(err.value.problems) == 30
    message = str(err.value)
    assert message.count("got 7") == MAX_LISTED and "... and 10 more" in message


def test_edges_problems_are_all_reported(tmp_path):
    d = copy_example(tmp_path)
    set_cells(d / "edges.csv", {(1, "to"): "NOWHERE", (2, "travel_time"): "-1", (3, "road_quality"): "x"})
    with pytest.raises(TableErrors) as err:
        load_territory(d)
    assert [f for f, _ in err.value.problems] == ["row 2, column to", "row 3, column travel_time",
                                                  "row 4, column road_quality"]


@pytest.mark.parametrize("written", ["San Isidro", "san isidro ", "SAN ISIDRO"])
def test_unique_names_are_accepted_where_ids_are_expected(tmp_path, written):
    d = copy_example(tmp_path)
    rows = rows_of(d / "edges.csv")
    assert rows[1][0] == "M01"
    rows[1][0] = written
    write_rows(d / "edges.csv", rows)
    assert_same_territory(load_territory(d), load_territory(EXAMPLE))


def test_accents_are_ignored_when_matching_names(tmp_path):
    d = accented_example(tmp_path / "t")
    rows = rows_of(d / "edges.csv")
    rows[1][0] = "San Isidro de las Penas"
    write_rows(d / "edges.csv", rows)
    assert load_territory(d).graph.has_edge("M01", rows[1][1])


def test_ambiguous_and_unknown_names_are_errors_naming_the_candidates(tmp_path):
    d = copy_example(tmp_path)
    set_cells(d / "municipalities.csv", {(2, "name"): "San Isidro"})
    set_cells(d / "edges.csv", {(1, "from"): "San Isidro", (2, "from"): "Piedra Blanka"})
    with pytest.raises(TableErrors) as err:
        load_territory(d)
    problems = dict(err.value.problems)
    assert "M01 (San Isidro), M02 (San Isidro)" in problems["row 2, column from"]
    assert "did you mean 'Piedra Blanca'" in problems["row 3, column from"]


@pytest.mark.parametrize("data, expected", [
    (b"PK\x03\x04\x14\x00\x06\x00", "NUL byte"),  # a spreadsheet (.xlsx) saved under a .csv name
    (b"", "header row"),
    (b"\xff\xfei\x00d\x00\n\x00\x00\xd8", "UTF-16"),  # a UTF-16 byte-order mark, then a broken surrogate
])
def test_unreadable_files_say_what_cannot_be_read(tmp_path, data, expected):
    d = copy_example(tmp_path)
    (d / "municipalities.csv").write_bytes(data)
    with pytest.raises(InputError, match=expected):
        load_territory(d)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), table=st.sampled_from(TABLES))
def test_arbitrary_bytes_give_input_error_never_a_traceback(tmp_path, data, table):
    d = tmp_path / "t"
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(EXAMPLE, d)
    (d / table).write_bytes(data)
    with pytest.raises(InputError):
        load_territory(d)


CELLS = st.lists(st.sampled_from(list('0123456789.,;-+eE"\t xñM') + ["\n", "\r", "nan", "inf", "market", "M01"]),
                 max_size=120).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=CELLS, table=st.sampled_from(TABLES), encoding=st.sampled_from(["utf-8", "latin-1", "utf-8-sig"]))
def test_garbage_rows_under_a_real_header_give_input_error(tmp_path, body, table, encoding):
    d = tmp_path / "t"
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(EXAMPLE, d)
    header = (EXAMPLE / table).read_text().splitlines()[0]
    (d / table).write_bytes(f"{header}\n{body}".encode(encoding))
    try:
        load_territory(d)
    except InputError:
        pass


def test_validate_command_reads_a_latin1_semicolon_territory(tmp_path, capsys):
    d = accented_example(tmp_path / "t", encoding="latin-1", delimiter=";", decimal=",")
    assert main(["validate", str(d)]) == 0
    set_cells_path = d / "municipalities.csv"
    set_cells_path.write_bytes(set_cells_path.read_bytes().replace(b";0,431;", b";1,431;").replace(b";6656;", b";-1;"))
    assert main(["validate", str(d)]) == 2
    err = capsys.readouterr().err
    assert "2 problems" in err and "got 1.431" in err and "got -1" in err and "Traceback" not in err


def test_policy_targets_accept_unique_names(tmp_path):
    from territory_abm import load_scenario
    from territory_abm.scenarios.loader import check_targets

    path = tmp_path / "s.toml"
    territory = load_territory(EXAMPLE)
    path.write_text(f'territory = "{EXAMPLE.as_posix()}"\n[[policies]]\nlever = "roads"\ntarget = ["San Isidro", "M02"]\n')
    scenario = load_scenario(path)
    check_targets(scenario, territory)
    assert [territory.index(t) for t in scenario.policies[0].target] == [0, 1]
    path.write_text(path.read_text().replace('"M02"', '"Capital market"'))
    with pytest.raises(InputError, match="'Capital market' is a market"):
        check_targets(load_scenario(path), territory)


@pytest.mark.parametrize("file, column, typo", [("municipalities.csv", "poverty_rate", "povrty_rate"),
                                                ("edges.csv", "travel_time", "travel_tme")])
def test_a_misspelt_column_is_named_with_what_it_was_meant_to_be(tmp_path, file, column, typo):
    """A column missing because it is misspelt in the header gets a suggestion (a newcomer's
    trial found none); an unrelated header name gets none."""
    shutil.copytree(EXAMPLE, tmp_path / "t")
    path = tmp_path / "t" / file
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(lines[0].replace(column, typo) + "".join(lines[1:]))
    with pytest.raises(InputError) as error:
        load_territory(tmp_path / "t")
    assert f"(is '{typo}' meant to be '{column}'?)" in str(error.value)
    path.write_text(lines[0].replace(column, "qqqq") + "".join(lines[1:]))
    with pytest.raises(InputError) as error:
        load_territory(tmp_path / "t")
    assert "meant to be" not in str(error.value)


def test_a_missing_column_is_not_said_to_be_another_correct_one(tmp_path):
    """Without ``land_gini`` the message must not offer ``income_gini`` (review 23), a column
    the file needs as it is."""
    shutil.copytree(EXAMPLE, tmp_path / "t")
    path = tmp_path / "t" / "municipalities.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    k = rows[0].index("land_gini")
    path.write_text("".join(",".join(r[:k] + r[k + 1:]) + "\n" for r in rows))
    with pytest.raises(InputError) as error:
        load_territory(tmp_path / "t")
    assert "column land_gini" in str(error.value) and "meant to be" not in str(error.value)


FRACTIONS = ("poverty_rate", "income_gini", "land_gini", "forest_cover", "wage_share", "service_quality")
"""Columns of the example's municipalities.csv that hold a number with a decimal point in every
row but the market's (the last)."""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.sets(st.tuples(st.integers(1, 14), st.sampled_from(FRACTIONS)), min_size=1, max_size=30))
def test_decimal_commas_in_a_comma_separated_file_are_each_named_and_the_hint_is_said_once(tmp_path, cells):
    """A user's comma-separated table wrote "0,48": 48 problems and no hint. Each cell is
    still a problem; the hint (write a decimal point, or separate the columns with
    semicolons) comes once, and the same numbers in a semicolon-separated file are read."""
    d = tmp_path / "t"
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(EXAMPLE, d)
    rows = rows_of(d / "municipalities.csv")
    column = {name: rows[0].index(name) for name in FRACTIONS}
    for row, name in cells:
        rows[row][column[name]] = rows[row][column[name]].replace(".", ",")
    write_rows(d / "municipalities.csv", rows)  # the csv writer quotes "0,48"
    with pytest.raises(InputError) as err:
        load_territory(d)
    message = str(err.value)
    assert message.count("got '") == min(len(cells), MAX_LISTED)
    assert message.count("a file with decimal commas is read when its columns are separated by semicolons") == 1
    row, name = min(cells, key=lambda cell: (cell[0], column[cell[1]]))  # the first in the file
    assert f"written with a decimal point: {rows[row][column[name]].replace(',', '.')}" in message
    write_rows(d / "municipalities.csv", rows, delimiter=";", decimal=",")
    assert_same_territory(load_territory(d), load_territory(EXAMPLE))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(split=st.integers(1, 16), misspelt=st.integers(1, 16))
def test_a_row_split_by_a_decimal_comma_is_reported_with_the_files_other_problems(tmp_path, split, misspelt):
    """edges.csv with an unquoted 0,7 stopped at "row 9: at most 4 cells", not naming a misspelt
    node in the same file: both are now reported at once, with the hint about decimal commas."""
    d = tmp_path / "t"
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(EXAMPLE, d)
    lines = (d / "edges.csv").read_text(encoding="utf-8").splitlines()
    if misspelt != split:
        start, rest = lines[misspelt].split(",", 1)
        lines[misspelt] = f"{start}x,{rest}"  # an id no node has
    lines[split] = lines[split].replace(".", ",")  # 0.7 -> 0,7: one more cell
    (d / "edges.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_territory(d)
    problems = err.value.problems if isinstance(err.value, TableErrors) else [(err.value.field, err.value.expected)]
    fields = [field for field, _ in problems]
    assert f"row {split + 1}" in fields
    if misspelt != split:
        assert f"row {misspelt + 1}, column from" in fields
    assert str(err.value).count(f"row {split + 1} may hold a number written with a decimal comma") == 1


def test_a_row_with_more_cells_than_the_header_is_named_by_its_id(tmp_path):
    d = copy_example(tmp_path)
    path = d / "municipalities.csv"
    lines = path.read_text().splitlines()
    lines[3] += ",extra"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        load_territory(d)
    assert err.value.field == "row 4 (M03)" and "at most 22 cells (the header's columns), got 23" in str(err.value)


def test_a_row_with_more_cells_is_not_named_by_a_cell_its_extra_cells_may_shift(tmp_path):
    """Where the id is not the first column, a row's extra cells (a number split at its decimal
    comma) may come before it: the row is then named by its number alone."""
    path = tmp_path / "t.csv"
    path.write_text("name,share,id\nAlto,0.4,M01\nBajo,0,5,M02\n")
    with pytest.raises(InputError) as err:
        read_table(path)
    assert err.value.field == "row 3"

"""Reading files: every format and encoding, and finding the table inside a real sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jinwei.indicators.importing.readers import READERS, ReadError, Sheet, read_file
from jinwei.indicators.importing.table import column_letter, locate
from tests.indicators.import_helpers import csv_file, english, xlsx

pytestmark = pytest.mark.usefixtures(english.__name__)

DATA = Path(__file__).parent / "data"
ROWS = [["地区", "地区生产总值（亿元）"], ["恩平市", "251.3"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_csv_in_every_encoding_chinese_excel_saves(tmp_path, encoding):
    path = csv_file(tmp_path / "t.csv", ROWS, encoding=encoding)
    (sheet,) = read_file(path)
    assert sheet.rows == ROWS
    assert (sheet.first_row, sheet.first_col) == (1, 0)


def test_it_reads_tab_separated_csv(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("地区\t地区生产总值\n恩平市\t1,251.3\n", encoding="utf-8")
    (sheet,) = read_file(path)
    assert sheet.rows == [["地区", "地区生产总值"], ["恩平市", "1,251.3"]]


def test_it_refuses_text_in_another_encoding(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8bad")
    with pytest.raises(ReadError, match="neither UTF-8 nor GB18030"):
        read_file(path)


def test_it_reads_xls(english):
    (sheet,) = read_file(DATA / "cross_2023.xls")
    assert sheet.name == "主要指标"
    assert sheet.rows[2] == ["地区", "地区生产总值（亿元）", "增长（%）"]
    assert sheet.rows[3][:2] == ["恩平市", 251.3]


def test_it_reads_xlsx_and_keeps_excel_coordinates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C4"], sheet["D4"] = "地区", "数值"
    sheet["C5"], sheet["D5"] = "恩平", 3
    hidden = book.create_sheet("hidden")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "t.xlsx")
    (read,) = read_file(tmp_path / "t.xlsx")
    assert (read.first_row, read.first_col) == (4, 2)
    assert read.rows == [["地区", "数值"], ["恩平", 3.0]]


def test_it_refuses_unknown_types_and_broken_files(tmp_path):
    (tmp_path / "t.pdf").write_bytes(b"%PDF")
    with pytest.raises(ReadError, match=r"“\.pdf” cannot be imported; use csv"):
        read_file(tmp_path / "t.pdf")
    (tmp_path / "t.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ReadError, match="could not be read as a spreadsheet"):
        read_file(tmp_path / "t.xlsx")


def test_every_registered_reader_is_exercised():
    """The registry's contract: each extension here is read by a test in this module."""
    assert set(READERS) == {"xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "txt"}


def test_it_finds_the_table_under_merged_titles_and_above_notes(tmp_path):
    rows = [
        ["2023年恩平市主要经济指标"],
        ["单位：万元"],
        [],
        ["地区", "地区生产总值", "增长（%）"],
        ["恩平市", "2,513,000", "5.1"],
        ["", "", ""],
        ["台山市", "5,474,000", "4.2"],
        ["注：1. 地区生产总值按当年价格计算。"],
        ["资料来源：江门市统计局"],
    ]
    path = xlsx(tmp_path / "t.xlsx", ("表1", rows), merge_title=True)
    table = locate(read_file(path)[0])
    assert table is not None
    assert table.header_row == 4
    assert table.headers == ["地区", "地区生产总值", "增长(%)"]
    assert table.title_unit == "万元"
    assert str(table.title_period()) == "2023"
    assert [table.excel_row(i) for i in table.body()] == [5, 6, 7]
    assert table.notes[0].startswith("注:1.")


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("2024年1-6月主要经济指标", "2024-06"),
        ("2023年第三季度 主要指标", "2023Q3"),
        ("主要指标", None),
    ],
)
def test_it_reads_the_period_from_the_title(title, period):
    table = locate(Sheet("s", [[title], ["地区", "GDP"], ["恩平", 1]]))
    assert table is not None
    found = table.title_period()
    assert (str(found) if found else None) == period


def test_a_sheet_starting_with_a_hash_is_help_text():
    assert locate(Sheet("help", [["# 填写说明"], ["a", "b"]])) is None
    assert locate(Sheet("empty", [[], ["", None]])) is None


def test_a_data_row_that_looks_like_a_note_is_kept():
    table = locate(Sheet("s", [["指标", "2023"], ["注册企业数", 3], ["注：说明", ""]]))
    assert table is not None
    assert list(table.body()) == [1]


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip

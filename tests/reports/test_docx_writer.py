"""The Word writer: the file opens, and has the page, styles, sections, tables, images and page
numbers of a government document."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from jinwei.reports import charts
from jinwei.reports.document import Document, Table
from jinwei.reports.docx_writer import docx_bytes, numbered, write_docx
from jinwei.reports.fonts import FontPlan, FontUse
from tests.reports.briefing_samples import sample_document


def plan(used: str | None, *, official: bool = False) -> FontPlan:
    roles = {
        "title": "方正小标宋简体",
        "heading": "黑体",
        "subheading": "楷体_GB2312",
        "body": "仿宋_GB2312",
        "page": "宋体",
    }
    uses = {
        role: FontUse(role, name, name if official else used, stand_in=not official)
        for role, name in roles.items()
    }
    return FontPlan(**uses, chart=None)


@pytest.fixture(scope="module")
def word():
    """The sample written once with the official fonts, read back with python-docx."""
    content = docx_bytes(sample_document(), fonts=plan(None, official=True))
    return docx.Document(io.BytesIO(content))


def east_asian_font(style):
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_it_is_a4_with_the_official_margins(word):
    for section in word.sections:  # in millimetres: Word keeps twentieths of a point
        page = [section.page_width, section.page_height]
        margins = [section.top_margin, section.bottom_margin]
        margins += [section.left_margin, section.right_margin]
        assert [round(length.mm, 1) for length in page] == [210, 297]
        assert [round(length.mm, 1) for length in margins] == [37, 35, 28, 26]


def test_the_title_page_carries_title_period_issuer_and_date(word):
    texts = [p.text for p in word.paragraphs[:4]]
    assert texts == ["恩平市高质量发展简报", "2024年9月", "恩平市人民政府", "2024年10月15日"]
    title = word.paragraphs[0]
    assert title.style.font.size == Pt(22)  # 二号
    assert title.alignment is None and title.style.paragraph_format.alignment == (
        WD_ALIGN_PARAGRAPH.CENTER
    )


def test_headings_follow_the_official_hierarchy(word):
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert headings == [
        ("Heading 1", "一、发展形势"),
        ("Heading 2", "（一）主要指标"),
        ("Heading 1", "二、发展机遇"),
        ("Heading 1", "三、推进落实"),
    ]
    styles = word.styles
    assert east_asian_font(styles["Heading 1"]) == "黑体"
    assert east_asian_font(styles["Heading 2"]) == "楷体_GB2312"
    assert styles["Heading 1"].font.size == styles["Heading 2"].font.size == Pt(16)
    assert styles["Heading 1"].font.bold is False


def test_body_is_fangsong_sanhao_on_a_fixed_line_indented_two_characters(word):
    normal = word.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{s}")) for s in ("eastAsia", "ascii", "hAnsi")} == {"仿宋_GB2312"}
    assert normal.font.size == Pt(16)
    layout = normal.paragraph_format
    assert layout.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= layout.line_spacing <= Pt(29)
    indent = normal.element.pPr.ind
    assert indent.get(qn("w:firstLineChars")) == "200"
    body = [p for p in word.paragraphs if p.text.startswith("社会消费品")]
    assert body and body[0].style.name == "Normal"


def test_tables_have_a_repeated_header_borders_and_right_aligned_numbers(word):
    assert len(word.tables) == 1
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "单位", "1—9月", "同比增长（%）"]
    assert [c.text for c in table.rows[2].cells] == ["社会消费品零售总额", "亿元", "101.23", "5.6"]
    assert table.style.name == "Table Grid"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    alignments = [c.paragraphs[0].alignment for c in table.rows[1].cells]
    assert alignments == [None, None, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT]
    assert table.rows[1].cells[0].paragraphs[0].style.paragraph_format.alignment == (
        WD_ALIGN_PARAGRAPH.LEFT
    )
    captions = [p.text for p in word.paragraphs if p.style.name == "Briefing Caption"]
    assert captions[0] == "表1\u3000主要经济指标"


def test_short_numeric_columns_keep_their_width_beside_a_long_text_column():
    table = Table("长表", ["指标", "数值"], [["很长的指标名称" * 6, "12345.67"]], [False, True])
    content = docx_bytes(Document("题", "2024年", "恩平市", "2024年10月15日", [table]))
    cells = docx.Document(io.BytesIO(content)).tables[0].rows[1].cells
    assert cells[1].width >= Pt(6 * (8 + 3))  # eight digits and the cell's margins, at 小四
    assert cells[0].width > cells[1].width


def test_figures_are_images_with_numbered_captions(word):
    assert len(word.inline_shapes) == 2
    captions = [p.text for p in word.paragraphs if p.style.name == "Briefing Caption"]
    assert captions[1:] == ["图1\u3000各县（市、区）地区生产总值", "图2\u3000重点项目投资完成情况"]


def test_a_caption_numbered_already_is_kept():
    assert numbered("表", 3, "表2 主要指标") == "表2 主要指标"
    assert numbered("图", 3, "投资") == "图3\u3000投资"


def test_page_numbers_are_page_fields_from_the_second_page(word):
    title_section, body = word.sections
    assert not title_section.footer.paragraphs or not title_section.footer.paragraphs[0].text
    for footer in (body.footer, body.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert footer.paragraphs[0].text.startswith("— ")
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert body.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert body.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_chinese_is_the_east_asian_language(word):
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_installed_fonts_replace_the_official_names_when_asked(tmp_path):
    path = tmp_path / "pdf-copy.docx"
    write_docx(sample_document(), path, fonts=plan("Noto Serif CJK SC"))
    word = docx.Document(str(path))
    assert east_asian_font(word.styles["Normal"]) == "Noto Serif CJK SC"
    assert east_asian_font(word.styles["Heading 1"]) == "Noto Serif CJK SC"


def test_given_pictures_are_used_instead_of_drawing_again(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("drew a chart although the pictures were given")

    monkeypatch.setattr(charts, "render_png", refuse)
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    content = docx_bytes(sample_document(), fonts=plan(None), pictures=[png.getvalue()] * 2)
    assert len(docx.Document(io.BytesIO(content)).inline_shapes) == 2

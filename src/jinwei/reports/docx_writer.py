"""A briefing written to Word (.docx) in the layout of government documents (GB/T 9704-2012).

A4 with the standard margins; a title page; then the text in the official hierarchy: level-1
headings in 黑体, level-2 in 楷体_GB2312, body in 仿宋_GB2312, all 三号 (16 pt), on a fixed 28.9 pt
line (22 lines to the page), paragraphs indented by two characters; page numbers "— 1 —" in the
footer, right on odd pages and left on even ones. Tables have a header row repeated on every
page, numeric columns right-aligned; charts are PNG images with their caption below.

Fonts are set for East-Asian text (w:eastAsia) as well as Latin (w:ascii, w:hAnsi), so digits
and Chinese come out in the same face. Which names are written is the caller's choice (`fonts`):
the official names for the file people receive, installed fonts for the copy LibreOffice turns
into a PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable

from jinwei.reports import charts
from jinwei.reports.document import Document, Figure, Heading, Paragraph, Table
from jinwei.reports.fonts import FontPlan, FontUse, font_plan

# Chinese point sizes (字号).
ER_HAO, SAN_HAO, SI_HAO, XIAO_SI = Pt(22), Pt(16), Pt(14), Pt(12)
LINE = Pt(28.9)  # 22 lines in the 225 mm text block of GB/T 9704
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
FOOTER_DISTANCE = Cm(2.5)  # the page number sits about 7 mm below the text block
TEXT_WIDTH = Cm(21 - 2.8 - 2.6)
PICTURE_WIDTH = Cm(15)
INDENT_CHARS = 200  # first-line indent in hundredths of a character: two characters
# Table widths in half-characters of 小四 (a digit's width): the text width holds about 73.
TABLE_UNITS = int(TEXT_WIDTH / (XIAO_SI / 2))
CELL_PADDING = 3  # the cell's margins, and the space set between Chinese and digits
HEADER_WRAP = 8  # a longer header wraps rather than widen a column of short numbers

TITLE, SUBTITLE, LINE_CENTRED = "Briefing Title", "Briefing Subtitle", "Briefing Centred"
CAPTION, CELL, HEADER_CELL, PICTURE = (
    "Briefing Caption",
    "Briefing Table Text",
    "Briefing Table Header",
    "Briefing Picture",
)
PAGE_NUMBER = "Briefing Page Number"

Target = str | Path | IO[bytes]


def write_docx(
    document: Document,
    target: Target,
    *,
    fonts: FontPlan | None = None,
    pictures: Sequence[bytes] | None = None,
) -> None:
    """Write `document` to a path or a binary stream.

    `fonts`: the names to write (default: the official ones). `pictures`: the PNGs of the
    document's figures in order, when the caller has drawn them already.
    """
    plan = fonts or font_plan().as_official()
    images = list(pictures) if pictures is not None else figure_pngs(document, plan.chart)
    word = docx.Document()
    _setup_styles(word, plan)
    _title_page(word, document)
    _body_section(word)
    _write_blocks(word, document, images)
    word.core_properties.title = f"{document.title}（{document.subtitle}）"
    word.core_properties.author = document.issuer
    word.core_properties.language = "zh-CN"
    word.save(str(target) if isinstance(target, Path) else target)


def figure_pngs(document: Document, font: str | None) -> list[bytes]:
    """The document's charts drawn as PNG, in order (a chart whose title the caption repeats is
    drawn without it)."""
    return [
        charts.render_png(
            block.chart, font=font, with_title=block.chart.title.strip() not in block.caption
        )
        for block in document.blocks
        if isinstance(block, Figure)
    ]


def docx_bytes(document: Document, **options: Any) -> bytes:
    buffer = io.BytesIO()
    write_docx(document, buffer, **options)
    return buffer.getvalue()


# --- fonts and styles --------------------------------------------------------------------------


def _set_fonts(rpr: Any, use: FontUse) -> None:
    """Name the font for every script of a run's or style's properties, replacing theme fonts."""
    if use.used is None:
        return
    name = use.used
    rfonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(script), name)


def _paragraph_style(word: Any, name: str, base: str = "Normal") -> ParagraphStyle:
    styles = word.styles
    if name in [s.name for s in styles]:
        style: ParagraphStyle = styles[name]
        return style
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _shape(
    style: ParagraphStyle,
    use: FontUse,
    size: Length,
    *,
    align: int | None = None,
    indent: bool = False,
    line: Length | None = LINE,
) -> None:
    """Font, size and paragraph layout of one style."""
    _set_fonts(style.element.get_or_add_rPr(), use)
    font = style.font
    font.size, font.bold, font.italic = size, use.bold, False
    font.color.rgb = None
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, line
    pf.alignment = align
    _first_line_indent(style.element.get_or_add_pPr(), size if indent else None)


def _first_line_indent(ppr: Any, size: Length | None) -> None:
    """Two characters, or none (stated, not inherited from Normal). Both forms: Word and
    LibreOffice read the character count, older readers the length."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(INDENT_CHARS if size else 0))
    ind.set(qn("w:firstLine"), str(int(Emu(size * 2).twips) if size else 0))


def _setup_styles(word: Any, plan: FontPlan) -> None:
    _defaults(word, plan)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _shape(word.styles["Normal"], plan.body, SAN_HAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    for name, use in (("Heading 1", plan.heading), ("Heading 2", plan.subheading)):
        style = word.styles[name]
        _shape(style, use, SAN_HAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        style.paragraph_format.keep_with_next = True
    _shape(_paragraph_style(word, TITLE), plan.title, ER_HAO, align=centre, line=Pt(40))
    _shape(_paragraph_style(word, SUBTITLE), plan.subheading, SAN_HAO, align=centre)
    _shape(_paragraph_style(word, LINE_CENTRED), plan.body, SAN_HAO, align=centre)
    caption = _paragraph_style(word, CAPTION)
    _shape(caption, plan.heading, SI_HAO, align=centre, line=None)
    caption.paragraph_format.space_before = caption.paragraph_format.space_after = Pt(6)
    left = WD_ALIGN_PARAGRAPH.LEFT  # not justified like the body: short entries stay together
    for name, use, align in ((CELL, plan.body, left), (HEADER_CELL, plan.heading, centre)):
        cell = _paragraph_style(word, name)
        _shape(cell, use, XIAO_SI, align=align, line=None)
        cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(2)
    _shape(_paragraph_style(word, PICTURE), plan.body, SAN_HAO, align=centre, line=None)
    _paragraph_style(word, PICTURE).paragraph_format.keep_with_next = True
    _shape(_paragraph_style(word, PAGE_NUMBER), plan.page, SI_HAO, line=None)


def _defaults(word: Any, plan: FontPlan) -> None:
    """Document defaults: the body font instead of the theme's, Chinese as the East-Asian
    language (line breaking, punctuation), no space between paragraphs."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults, plan.body)
    lang = run_defaults.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")


# --- pages -------------------------------------------------------------------------------------


def _page_setup(section: Any) -> None:
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = FOOTER_DISTANCE


def _title_page(word: Any, document: Document) -> None:
    """Title, period, issuer and date; no page number on this page."""
    _page_setup(word.sections[0])
    title = word.add_paragraph(document.title, style=TITLE)
    title.paragraph_format.space_before = Cm(6)
    word.add_paragraph(document.subtitle, style=SUBTITLE)
    issuer = word.add_paragraph(document.issuer, style=LINE_CENTRED)
    issuer.paragraph_format.space_before = Cm(8)
    word.add_paragraph(document.date_line, style=LINE_CENTRED)


def _body_section(word: Any) -> None:
    """A new section from the second page: page numbers start at 1, in the footer."""
    section = word.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section)
    _restart_numbering(section._sectPr)
    word.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = word.styles[PAGE_NUMBER]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, f"{side}_indent", SI_HAO)  # one character in
        _page_field(paragraph)


SECTPR_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg")


def _restart_numbering(sectpr: Any) -> None:
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    later = next((e for t in SECTPR_AFTER_PGNUMTYPE if (e := sectpr.find(qn(t))) is not None), None)
    if later is not None:
        later.addprevious(numbering)
    else:
        sectpr.append(numbering)


def _page_field(paragraph: Any) -> None:
    """The page number as "— 7 —": a PAGE field that Word and LibreOffice fill in."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)
    paragraph.add_run(" —")


# --- blocks ------------------------------------------------------------------------------------


def _add(container: Any, text: str, style_id: str) -> Any:
    """A paragraph in a style given by its id: python-docx looking styles up by name scans
    them all for every paragraph, which costs seconds on a briefing with large tables."""
    paragraph = container.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _write_blocks(word: Any, document: Document, images: list[bytes]) -> None:
    ids = {style.name: style.style_id for style in word.styles}
    pictures = iter(images)
    tables = figures = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            _add(word, block.text, ids[f"Heading {block.level}"])
        elif isinstance(block, Paragraph):
            _add(word, block.text, ids["Normal"])
        elif isinstance(block, Table):
            tables += 1
            _table(word, block, numbered("表", tables, block.caption), ids)
        elif isinstance(block, Figure):
            figures += 1
            caption = numbered("图", figures, block.caption)
            _figure(word, next(pictures), caption, ids)


def numbered(kind: str, number: int, caption: str) -> str:
    """Tables and figures numbered in order ("表2　重点项目推进情况"), unless the caption is
    numbered already."""
    if re.match(rf"{kind}\s*\d", caption):
        return caption
    return f"{kind}{number}\u3000{caption}"


def _table(word: Any, block: Table, caption_text: str, ids: dict[str, str]) -> None:
    caption = _add(word, caption_text, ids[CAPTION])
    caption.paragraph_format.keep_with_next = True
    table: DocxTable = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    numeric = [*block.numeric, *[False] * len(block.header)]
    widths = _column_widths(block.header, block.rows)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for r, values in enumerate([block.header, *block.rows]):
        for c, cell in enumerate(table.rows[r].cells):
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.text = values[c] if c < len(values) else ""
            paragraph._p.style = ids[HEADER_CELL if r == 0 else CELL]
            if r and numeric[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(table)
    _add(word, "", ids[CELL])  # air between the table and the next paragraph


def _repeat_header(table: DocxTable) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _display_width(text: str) -> int:
    """Chinese characters take two columns, Latin letters and digits one."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _column_widths(header: list[str], rows: list[list[str]]) -> list[Length]:
    """Each column as wide as its longest entry, if the page allows; if not, the widest columns
    give way (their text wraps) and the short ones — numbers — keep their width."""
    count = len(header)
    needs = []
    for c in range(count):
        body = max((_display_width(row[c]) for row in rows if c < len(row)), default=0)
        needs.append(max(body, min(_display_width(header[c]), HEADER_WRAP)) + CELL_PADDING)
    cap = max(needs)
    while sum(min(need, cap) for need in needs) > TABLE_UNITS and cap > 1:
        cap -= 1
    fitted = [min(need, cap) for need in needs]
    scale = TABLE_UNITS / sum(fitted)  # fill the text width
    return [Emu(int(TEXT_WIDTH * width * scale / TABLE_UNITS)) for width in fitted]


def _figure(word: Any, png: bytes, caption: str, ids: dict[str, str]) -> None:
    picture = _add(word, "", ids[PICTURE])
    picture.add_run().add_picture(io.BytesIO(png), width=PICTURE_WIDTH)
    _add(word, caption, ids[CAPTION])

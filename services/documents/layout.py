"""A `Letter` (domain/documents/letters.py) as a .docx laid out after GB/T 9704-2012
(党政机关公文格式). Pure: the bytes depend on the letter alone (fonts are named, not shipped).

The rules applied, each from the standard:

- Paper A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, which
  leave the 156 × 225 mm text area; 22 lines a page (line spacing exactly 28.95 pt).
- 发文机关标志: the issuing office's name, centred, red, 小标宋, as large as fits one line
  (at most 36 pt).
- 发文字号 two lines below it, centred, 3号 (16 pt) 仿宋; the red separator line (版头中的分隔线)
  4 mm below the number, as wide as the text area.
- 标题 two lines below the separator, centred, 2号 (22 pt) 小标宋.
- 主送机关 one line below the title, flush left, followed by a full-width colon.
- 正文 3号仿宋, first line indented two characters; first-level headings 黑体, second-level
  楷体.
- 发文机关署名 and 成文日期 after a blank seal area: the date (e.g. 2026年11月29日) set four
  characters in from the right, the office's name centred over it.
- 页码 in the footer, 4号 (14 pt) 宋体 Arabic numerals between dashes (— 1 —), centred (the
  standard sets odd pages right and even pages left; one centred footer serves both).
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from domain.documents.letters import Letter, Paragraph, Style
from services.documents.packaging import at_midnight, fixed_package

RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TITLE_SIZE = Pt(22)  # 2号
LINE = Pt(28.95)  # 22 lines in the 225 mm text area
TEXT_WIDTH_PT = 442  # 156 mm
MAX_HEADER_PT = 36
SEPARATOR_GAP = Mm(4)
SEPARATOR_WIDTH = "12"  # eighths of a point: a 1.5 pt line

# What may follow a paragraph border in its properties (w:pPr), in the schema's order.
_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_STYLE_FONTS = {Style.BODY: FANGSONG, Style.HEADING: HEITI, Style.SUBHEADING: KAITI}


def docx_bytes(letter: Letter) -> bytes:
    """The letter as .docx bytes: the same letter gives the same bytes."""
    document = Document()
    _page(document)
    _header(document, letter)
    _title(document, letter)
    _body(document, letter)
    _signature(document, letter)
    _page_numbers(document)
    _properties(document, letter)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_package(buffer.getvalue(), letter.issued_on)


def header_size(issuer: str) -> float:
    """The header's point size: as large as lets the office's name fit one line."""
    return min(MAX_HEADER_PT, TEXT_WIDTH_PT / max(len(issuer), 1))


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _font(normal.element.get_or_add_rPr(), FANGSONG)


def _header(document: DocxDocument, letter: Letter) -> None:
    size = header_size(letter.issuer)
    mark = _line(document, letter.issuer, XIAOBIAOSONG, Pt(size))
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.line_spacing = Pt(size * 1.25)  # the grid's line would clip it
    mark.runs[0].font.color.rgb = RED
    number = _line(document, letter.number, FANGSONG, BODY_SIZE)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = Pt(2 * LINE.pt)
    number.paragraph_format.space_after = SEPARATOR_GAP
    _red_rule_below(number)


def _title(document: DocxDocument, letter: Letter) -> None:
    title = _line(document, letter.title, XIAOBIAOSONG, TITLE_SIZE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(2 * LINE.pt)
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE.pt * 1.5)
    recipient = _line(document, f"{letter.recipient}：", FANGSONG, BODY_SIZE)
    recipient.paragraph_format.space_before = LINE


def _body(document: DocxDocument, letter: Letter) -> None:
    for paragraph in letter.body:
        _body_paragraph(document, paragraph)


def _body_paragraph(document: DocxDocument, paragraph: Paragraph) -> None:
    made = _line(document, paragraph.text, _STYLE_FONTS[paragraph.style], BODY_SIZE)
    made.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    made.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE.pt)


def _signature(document: DocxDocument, letter: Letter) -> None:
    date_width = _width_in_characters(letter.date_line)
    signer_indent = 4 + max(0.0, (date_width - len(letter.issuer)) / 2)
    signer = _line(document, letter.issuer, FANGSONG, BODY_SIZE)
    signer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signer.paragraph_format.space_before = Pt(3 * LINE.pt)  # the seal area (印章)
    signer.paragraph_format.right_indent = Pt(signer_indent * BODY_SIZE.pt)
    dated = _line(document, letter.date_line, FANGSONG, BODY_SIZE)
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated.paragraph_format.right_indent = Pt(4 * BODY_SIZE.pt)


def _page_numbers(document: DocxDocument) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    for text in ("— ", None, " —"):
        run = footer.add_run(text or "1")
        run.font.size = PAGE_NUMBER_SIZE
        _font(run._element.get_or_add_rPr(), SONGTI)
        if text is None:  # the page number: a field Word and WPS fill in on each page
            run._element.addprevious(field)
            field.append(run._element)


def _width_in_characters(text: str) -> float:
    """Width in full-width characters: an Arabic digit is half of one."""
    return sum(0.5 if c.isascii() else 1 for c in text)


def _properties(document: DocxDocument, letter: Letter) -> None:
    properties = document.core_properties
    properties.title = letter.title
    properties.subject = letter.number
    properties.author = letter.issuer
    properties.last_modified_by = letter.issuer
    properties.comments = ""
    properties.keywords = ""
    properties.revision = 1
    properties.created = properties.modified = at_midnight(letter.issued_on)
    properties.last_printed = at_midnight(letter.issued_on)


def _line(document: DocxDocument, text: str, font: str, size: Pt) -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = LINE
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = size
    _font(run._element.get_or_add_rPr(), font)
    return paragraph


def _font(rpr: object, name: str) -> None:
    """Name `name` for Latin and East Asian text alike (Word picks eastAsia for Chinese)."""
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _red_rule_below(paragraph: DocxParagraph) -> None:
    """The red separator line: the paragraph's bottom border, across the text area."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attribute, value in (("val", "single"), ("sz", SEPARATOR_WIDTH), ("space", "1")):
        bottom.set(qn(f"w:{attribute}"), value)
    bottom.set(qn("w:color"), RED_HEX)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDER)

"""Which fonts the briefing uses, and what to say about them.

The Word file always names the official fonts of government documents (方正小标宋简体 for the
title, 黑体, 楷体_GB2312, 仿宋_GB2312): the offices that read it have them, and Word looks them up
on the reader's computer. What is drawn here — the charts and the PDF — can only use fonts
installed on this computer, so each official font is replaced by an installed equivalent, or by
any installed Chinese font, and the output says so. When no Chinese font is installed at all, the
charts and the PDF show empty boxes for Chinese text: the output says that loudly.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib import font_manager

FC_LIST_TIMEOUT = 20  # seconds; fc-list answers from its cache in well under one
CJK_PROBE = "中文简报"  # a font that has these glyphs can set the briefing
# Fonts that map every character to a placeholder box: they "cover" Chinese but show none of it.
PLACEHOLDER_FONTS = ("Last Resort",)


@dataclass(frozen=True)
class Face:
    """An official font, the names the same typeface goes by, and the kind of stand-in."""

    official: str
    same_face: tuple[str, ...]
    kind: Literal["serif", "sans"]
    bold_stand_in: bool = False  # 小标宋 is a heavy face: a regular serif stands in as bold


FACES: dict[str, Face] = {
    "title": Face(
        "方正小标宋简体",
        ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05", "小标宋", "华文中宋"),
        "serif",
        bold_stand_in=True,
    ),
    "heading": Face("黑体", ("SimHei",), "sans"),
    "subheading": Face(
        "楷体_GB2312",
        ("KaiTi_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "AR PL KaitiM GB"),
        "serif",
    ),
    "body": Face(
        "仿宋_GB2312", ("FangSong_GB2312", "仿宋", "FangSong", "FZFangSong-Z02S"), "serif"
    ),
    "page": Face("宋体", ("SimSun", "NSimSun", "新宋体"), "serif"),  # page numbers
}
STAND_INS = {
    "serif": (
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Source Han Serif CN",
        "思源宋体",
        "AR PL UMing CN",
        "SimSun",
        "宋体",
    ),
    "sans": (
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "思源黑体",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
        "Microsoft YaHei",
        "微软雅黑",
        "SimHei",
        "Droid Sans Fallback",
    ),
}


ROLE_LABELS = {
    "title": gettext_lazy("title"),
    "heading": gettext_lazy("level-1 headings"),
    "subheading": gettext_lazy("level-2 headings"),
    "body": gettext_lazy("body text"),
    "page": gettext_lazy("page numbers"),
}


@dataclass(frozen=True)
class FontUse:
    """One role of the document: the font the Word file names and the one drawn here."""

    role: str
    official: str
    used: str | None  # None: no Chinese font is installed
    bold: bool = False
    stand_in: bool = False  # `used` is another typeface than the official one


@dataclass(frozen=True)
class FontPlan:
    title: FontUse
    heading: FontUse
    subheading: FontUse
    body: FontUse
    page: FontUse
    chart: str | None  # the family matplotlib draws Chinese with

    @property
    def uses(self) -> tuple[FontUse, ...]:
        return (self.title, self.heading, self.subheading, self.body, self.page)

    @property
    def has_cjk(self) -> bool:
        return self.body.used is not None

    def as_official(self) -> FontPlan:
        """The plan for the Word file: the official names, nothing replaced."""
        uses = {u.role: FontUse(u.role, u.official, u.official) for u in self.uses}
        return FontPlan(**uses, chart=self.chart)

    def notes(self) -> list[str]:
        """Which fonts were used, in the user's language."""
        if not self.has_cjk:
            return []
        named = "; ".join(f"{ROLE_LABELS[u.role]} {u.official}" for u in self.uses)
        notes = [_("Fonts named in the Word file: %(fonts)s.") % {"fonts": named}]
        stand_ins = [u for u in self.uses if u.stand_in]
        if stand_ins:
            pairs = "; ".join(f"{u.official} → {u.used}" for u in stand_ins)
            notes.append(
                _("Not installed here, replaced in the PDF by: %(pairs)s.") % {"pairs": pairs}
            )
        if self.chart is not None:
            notes.append(_("Charts are drawn with %(font)s.") % {"font": self.chart})
        return notes

    def warnings(self) -> list[str]:
        """What is missing, said loudly: without a Chinese font, Chinese shows as boxes."""
        if not self.has_cjk:
            return [no_cjk_note()]
        if self.chart is None:
            return [
                _(
                    "The charts found no Chinese font to draw with: their Chinese text shows as "
                    "empty boxes."
                )
            ]
        return []


def no_cjk_note() -> str:
    return _(
        "No Chinese (CJK) font is installed on this computer: Chinese text in the charts and "
        "the PDF shows as empty boxes. Install one (Debian: apt install fonts-noto-cjk) and write "
        "the briefing again. The Word file names the official fonts and reads correctly where "
        "they are installed."
    )


def _fc_list_families() -> list[str] | None:
    """Families able to set Chinese, as fontconfig (and so LibreOffice) sees them; None without
    fontconfig. Each family is listed under all its names (e.g. "SimHei" and "黑体")."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 - a fixed command found on PATH, no user input
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=FC_LIST_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    names = (name.strip() for line in result.stdout.splitlines() for name in line.split(","))
    return sorted({name for name in names if name})


def _covers_cjk(path: str) -> bool:
    try:
        charmap = font_manager.get_font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(char) in charmap for char in CJK_PROBE)


@lru_cache(maxsize=1)
def matplotlib_cjk_families() -> tuple[str, ...]:
    """Families matplotlib can draw Chinese with (it reads font files itself, not fontconfig)."""
    seen: dict[str, bool] = {}
    for entry in font_manager.fontManager.ttflist:
        if entry.name not in seen and not entry.name.startswith(PLACEHOLDER_FONTS):
            seen[entry.name] = _covers_cjk(entry.fname)
    return tuple(sorted(name for name, covers in seen.items() if covers))


@lru_cache(maxsize=1)
def installed_cjk_families() -> tuple[str, ...]:
    """Every installed family that can set Chinese: fontconfig's answer, else matplotlib's."""
    families = _fc_list_families()
    return tuple(families) if families is not None else matplotlib_cjk_families()


def _pick(wanted: tuple[str, ...], installed: tuple[str, ...]) -> str | None:
    available = set(installed)
    return next((name for name in wanted if name in available), None)


def _use(role: str, face: Face, installed: tuple[str, ...]) -> FontUse:
    own = _pick((face.official, *face.same_face), installed)
    if own is not None:
        return FontUse(role, face.official, own)  # the typeface itself, maybe by another name
    other_kind = "serif" if face.kind == "sans" else "sans"
    stand_in = _pick(STAND_INS[face.kind] + STAND_INS[other_kind], installed) or (
        installed[0] if installed else None
    )
    if stand_in is None:
        return FontUse(role, face.official, None)
    return FontUse(role, face.official, stand_in, bold=face.bold_stand_in, stand_in=True)


def chart_font(installed: tuple[str, ...]) -> str | None:
    """A plain sans face reads best in charts: 黑体 or a stand-in, else any Chinese font."""
    wanted = (FACES["heading"].official, *FACES["heading"].same_face, *STAND_INS["sans"])
    return (
        _pick(wanted, installed)
        or _pick(STAND_INS["serif"], installed)
        or (installed[0] if installed else None)
    )


def font_plan() -> FontPlan:
    """The fonts to use on this computer (detected once per process)."""
    installed = installed_cjk_families()
    uses = {role: _use(role, face, installed) for role, face in FACES.items()}
    return FontPlan(**uses, chart=chart_font(matplotlib_cjk_families()))

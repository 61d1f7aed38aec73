"""Text widths as kaleido draws them: the advance widths of DejaVu Sans, the slides' first font.

The slides name "DejaVu Sans, Arial, sans-serif"; Debian's Chromium draws with DejaVu Sans (package fonts-dejavu-core),
the widest of the three, so a width measured here is never less than the drawn one. The tables are the fonts'
`hmtx` advances (units of 1/2048 em) for the characters slides use in every language the map speaks (ASCII, Latin-1's
accented letters and signs such as "ñ", "ã", "¿", "«", the no-break spaces of CLDR's numbers), read once from
DejaVuSans.ttf and DejaVuSans-Bold.ttf (version 2.37); a character not in them counts as a full em, wider than any
glyph listed, so a translation's words are never measured narrower than drawn.
"""

from __future__ import annotations

UNITS_PER_EM = 2048
#: A character missing from the tables: as wide as the widest capital, rounded up to an em.
UNKNOWN = 2048
#: Plotly's line height in multi-line text, as a multiple of the font size (svg_text_utils LINE_SPACING).
LINE_SPACING = 1.3

BOOK = {
    " ": 651,
    "!": 821,
    '"': 942,
    "#": 1716,
    "$": 1303,
    "%": 1946,
    "&": 1597,
    "'": 563,
    "(": 799,
    ")": 799,
    "*": 1024,
    "+": 1716,
    ",": 651,
    "-": 739,
    ".": 651,
    "/": 690,
    "0": 1303,
    "1": 1303,
    "2": 1303,
    "3": 1303,
    "4": 1303,
    "5": 1303,
    "6": 1303,
    "7": 1303,
    "8": 1303,
    "9": 1303,
    ":": 690,
    ";": 690,
    "<": 1716,
    "=": 1716,
    ">": 1716,
    "?": 1087,
    "@": 2048,
    "A": 1401,
    "B": 1405,
    "C": 1430,
    "D": 1577,
    "E": 1294,
    "F": 1178,
    "G": 1587,
    "H": 1540,
    "I": 604,
    "J": 604,
    "K": 1343,
    "L": 1141,
    "M": 1767,
    "N": 1532,
    "O": 1612,
    "P": 1235,
    "Q": 1612,
    "R": 1423,
    "S": 1300,
    "T": 1251,
    "U": 1499,
    "V": 1401,
    "W": 2025,
    "X": 1403,
    "Y": 1251,
    "Z": 1403,
    "[": 799,
    "\\": 690,
    "]": 799,
    "^": 1716,
    "_": 1024,
    "`": 1024,
    "a": 1255,
    "b": 1300,
    "c": 1126,
    "d": 1300,
    "e": 1260,
    "f": 721,
    "g": 1300,
    "h": 1298,
    "i": 569,
    "j": 569,
    "k": 1186,
    "l": 569,
    "m": 1995,
    "n": 1298,
    "o": 1253,
    "p": 1300,
    "q": 1300,
    "r": 842,
    "s": 1067,
    "t": 803,
    "u": 1298,
    "v": 1212,
    "w": 1675,
    "x": 1212,
    "y": 1212,
    "z": 1075,
    "{": 1303,
    "|": 690,
    "}": 1303,
    "~": 1716,
    "’": 651,
    "‘": 651,
    "“": 1061,
    "”": 1061,
    "†": 1024,
    "·": 651,
    "–": 1024,
    "—": 2048,
    "é": 1260,
    "×": 1716,
    "…": 2048,
    "§": 1024,
}
BOLD = {
    " ": 713,
    "!": 934,
    '"': 1067,
    "#": 1716,
    "$": 1425,
    "%": 2052,
    "&": 1786,
    "'": 627,
    "(": 936,
    ")": 936,
    "*": 1071,
    "+": 1716,
    ",": 778,
    "-": 850,
    ".": 778,
    "/": 748,
    "0": 1425,
    "1": 1425,
    "2": 1425,
    "3": 1425,
    "4": 1425,
    "5": 1425,
    "6": 1425,
    "7": 1425,
    "8": 1425,
    "9": 1425,
    ":": 819,
    ";": 819,
    "<": 1716,
    "=": 1716,
    ">": 1716,
    "?": 1188,
    "@": 2048,
    "A": 1585,
    "B": 1561,
    "C": 1503,
    "D": 1700,
    "E": 1399,
    "F": 1399,
    "G": 1681,
    "H": 1714,
    "I": 762,
    "J": 762,
    "K": 1587,
    "L": 1305,
    "M": 2038,
    "N": 1714,
    "O": 1741,
    "P": 1501,
    "Q": 1741,
    "R": 1577,
    "S": 1475,
    "T": 1397,
    "U": 1663,
    "V": 1585,
    "W": 2259,
    "X": 1579,
    "Y": 1483,
    "Z": 1485,
    "[": 936,
    "\\": 748,
    "]": 936,
    "^": 1716,
    "_": 1024,
    "`": 1024,
    "a": 1382,
    "b": 1466,
    "c": 1214,
    "d": 1466,
    "e": 1389,
    "f": 891,
    "g": 1466,
    "h": 1458,
    "i": 702,
    "j": 702,
    "k": 1362,
    "l": 702,
    "m": 2134,
    "n": 1458,
    "o": 1407,
    "p": 1466,
    "q": 1466,
    "r": 1010,
    "s": 1219,
    "t": 979,
    "u": 1458,
    "v": 1335,
    "w": 1892,
    "x": 1321,
    "y": 1335,
    "z": 1192,
    "{": 1458,
    "|": 748,
    "}": 1458,
    "~": 1716,
    "’": 778,
    "‘": 778,
    "“": 1346,
    "”": 1346,
    "†": 1024,
    "·": 778,
    "–": 1024,
    "—": 2048,
    "é": 1389,
    "×": 1716,
    "…": 2048,
    "§": 1024,
}

#: Latin-1's letters and signs (Spanish and Portuguese: "¿", "ñ", "ção", "« »") and a few more of Latin, from the
#: same two fonts: each "<character><advance in DejaVuSans>/<advance in DejaVuSans-Bold>".
_LATIN = (
    "¡821/934 ¢1303/1425 £1303/1425 ¤1303/1303 ¥1303/1425 ¦690/748 ¨1024/1024 ©2048/2048 ª965/1155 «1253/1323 "
    "¬1716/1716 ®2048/2048 ¯1024/1024 °1024/1024 ±1716/1716 ²821/897 ³821/897 ´1024/1024 µ1303/1507 "
    "¶1303/1303 ¸1024/1024 ¹821/897 º965/1155 »1253/1323 ¼1985/2120 ½1985/2120 ¾1985/2120 ¿1087/1188 "
    "À1401/1585 Á1401/1585 Â1401/1585 Ã1401/1585 Ä1401/1585 Å1401/1585 Æ1995/2222 Ç1430/1503 È1294/1399 "
    "É1294/1399 Ê1294/1399 Ë1294/1399 Ì604/762 Í604/762 Î604/762 Ï604/762 Ð1587/1716 Ñ1532/1714 Ò1612/1741 "
    "Ó1612/1741 Ô1612/1741 Õ1612/1741 Ö1612/1741 Ø1612/1741 Ù1499/1663 Ú1499/1663 Û1499/1663 Ü1499/1663 "
    "Ý1251/1483 Þ1239/1511 ß1290/1473 à1255/1382 á1255/1382 â1255/1382 ã1255/1382 ä1255/1382 å1255/1382 "
    "æ2011/2146 ç1126/1214 è1260/1389 ê1260/1389 ë1260/1389 ì569/702 í569/702 î569/702 ï569/702 ð1253/1407 "
    "ñ1298/1458 ò1253/1407 ó1253/1407 ô1253/1407 õ1253/1407 ö1253/1407 ÷1716/1716 ø1253/1407 ù1298/1458 "
    "ú1298/1458 û1298/1458 ü1298/1458 ý1212/1335 þ1300/1466 ÿ1212/1335 Œ2191/2390 œ2095/2241 Š1300/1475 "
    "š1067/1219 Ž1403/1485 ž1075/1192 Ÿ1251/1483"
)
BOOK |= {item[0]: int(item[1:].split("/")[0]) for item in _LATIN.split()}
BOLD |= {item[0]: int(item[1:].split("/")[1]) for item in _LATIN.split()}
#: The no-break spaces CLDR writes in numbers and before signs: a space's width, and the narrow one's.
BOOK["\u00a0"], BOLD["\u00a0"] = BOOK[" "], BOLD[" "]
BOOK["\u202f"] = BOLD["\u202f"] = 409


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in pixels of one line of `text` at `size` px, without kerning (kerning only narrows it)."""
    table = BOLD if bold else BOOK
    return sum(table.get(c, UNKNOWN) for c in text) * size / UNITS_PER_EM


def line_height(size: float) -> float:
    """The height of one line of text at `size` px, as plotly spaces lines."""
    return size * LINE_SPACING

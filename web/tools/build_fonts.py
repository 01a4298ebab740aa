#!/usr/bin/python3
"""Builds the web application's bundled fonts (web/src/generated/fonts/*.woff2).

Sources are Debian's font packages, never the network:
  Noto Sans            (fonts-noto-core)  Latin text, subset to Latin, Latin-1 and punctuation
  Noto Nastaliq Urdu   (fonts-noto-core)  Urdu, subset to the Arabic script blocks
  Noto Sans CJK SC     (fonts-noto-cjk)   Chinese, subset to exactly the characters of
                                          src/i18n/zh.json (the full face is 19 MB; never shipped)
Converted to WOFF2 with fontTools (python3-fonttools + python3-brotli).
Run by `npm run build`; the output is not committed.
"""
import json
import os
import sys

try:
    from fontTools import subset
    from fontTools.ttLib import TTCollection
except ImportError:
    sys.exit("build_fonts: fontTools is missing; run scripts/setup.sh (python3-fonttools, "
             "python3-brotli)")

HERE = os.path.dirname(os.path.abspath(__file__))
WEB = os.path.dirname(HERE)
OUT = os.path.join(WEB, "src", "generated", "fonts")
NOTO = "/usr/share/fonts/truetype/noto"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

LATIN = list(range(0x20, 0x7F)) + list(range(0xA0, 0x180)) + list(range(0x2000, 0x2070)) + [
    0x20AC, 0x2116, 0x2122, 0x2190, 0x2191, 0x2192, 0x2193, 0x2212, 0x2264, 0x2265, 0x25B2,
    0x25BC, 0x2713, 0x2715]
ARABIC = list(range(0x600, 0x700)) + list(range(0x750, 0x780)) + list(range(0xFB50, 0xFE00)) + \
    list(range(0xFE70, 0xFF00)) + list(range(0x20, 0x7F)) + [0x200C, 0x200D, 0x200E, 0x200F,
                                                          0x2010, 0x2013, 0x2014, 0x2026]


def strings_of(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(data)
    return "".join(out)


def options():
    o = subset.Options()
    o.flavor = "woff2"
    o.layout_features = ["*"]
    o.name_IDs = ["*"]
    o.notdef_outline = True
    o.hinting = False
    o.desubroutinize = True
    return o


def subset_font(font, unicodes, out_name):
    s = subset.Subsetter(options())
    s.populate(unicodes=unicodes)
    s.subset(font)
    path = os.path.join(OUT, out_name)
    font.flavor = "woff2"
    font.save(path)
    print(f"build_fonts: {out_name} {os.path.getsize(path) // 1024} KiB "
          f"({len(unicodes)} code points)")


def main():
    os.makedirs(OUT, exist_ok=True)
    for p in (os.path.join(NOTO, "NotoSans-Regular.ttf"), CJK,
              os.path.join(NOTO, "NotoNastaliqUrdu-Regular.ttf")):
        if not os.path.exists(p):
            sys.exit(f"build_fonts: {p} is missing; run scripts/setup.sh (fonts-noto-core, "
                     "fonts-noto-cjk)")
    from fontTools.ttLib import TTFont
    for weight in ("Regular", "Bold"):
        subset_font(TTFont(os.path.join(NOTO, f"NotoSans-{weight}.ttf")), LATIN,
                    f"noto-sans-latin-{weight.lower()}.woff2")
    subset_font(TTFont(os.path.join(NOTO, "NotoNastaliqUrdu-Regular.ttf")), ARABIC,
                "noto-nastaliq-urdu.woff2")
    zh = strings_of(os.path.join(WEB, "src", "i18n", "zh.json"))
    # Chinese text is only ever our own strings (data values are English or digits).
    cps = sorted({ord(c) for c in zh if ord(c) > 0x2E7F} | {0x3001, 0x3002, 0xFF0C, 0xFF1A,
                                                                0xFF08, 0xFF09, 0x2014})
    collection = TTCollection(CJK)
    sc = None
    for font in collection.fonts:
        family = font["name"].getDebugName(1) or ""
        if family.endswith("CJK SC"):
            sc = font
            break
    if sc is None:
        sys.exit(f"build_fonts: no 'Noto Sans CJK SC' face in {CJK}")
    subset_font(sc, cps, "noto-sans-sc-subset.woff2")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Our own checks of an ocs PDF, from outside the library that wrote it (pikepdf, pdfplumber).

    python3 tests/pdf_conformance.py KIND FILE.pdf [KIND FILE.pdf ...]

KIND is `official`, `matrix`, `checklist` or `any`. Every PDF: PDF/A-2a and PDF/UA-1 identification in
the XMP, the sRGB output intent, /MarkInfo, /Lang, the title shown in the window, no encryption or
transparency, every font embedded with a ToUnicode map, every text and path inside marked content
(tagged or an artifact), only standard structure types. Then by kind: the official table's headings,
tables with TH (scope) and TD with spans, lists two levels deep, the header repeated on later pages
as an artifact, an outline; the matrix's marks with a text equivalent; the checklist's fields, named
by code, each with a tooltip and a Form element. Prints each failure; exits 1 if any.
"""
import re
import sys

import pdfplumber
import pikepdf

STANDARD = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link",
    "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}
TEXT_OPS = {"Tj", "TJ", "'", '"'}
PATH_OPS = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*"}


class Check:
    def __init__(self, path):
        self.path = path
        self.failures = []

    def expect(self, ok, message):
        if not ok:
            self.failures.append(f"{self.path}: {message}")
        return ok


def kids(element):
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def elements(root):
    """Every structure element under the root, in document order."""
    stack = list(reversed(kids(root)))
    while stack:
        e = stack.pop()
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            yield e
            stack.extend(reversed(kids(e)))


def attr(element, key):
    a = element.get("/A")
    if a is None:
        return None
    for d in (list(a) if isinstance(a, pikepdf.Array) else [a]):
        if isinstance(d, pikepdf.Dictionary) and key in d:
            return d[key]
    return None


def role(element, role_map):
    s = str(element.S)[1:]
    return str(role_map.get("/" + s, "/" + s))[1:] if s not in STANDARD else s


def common(pdf, c):
    root = pdf.Root
    c.expect("/Encrypt" not in pdf.trailer, "encrypted")
    c.expect(bool(root.get("/MarkInfo", {}).get("/Marked")), "/MarkInfo /Marked is not true")
    lang = str(root.get("/Lang", ""))
    c.expect(lang in ("zh-Hant-TW", "en"), f"/Lang is {lang!r}")
    c.expect(bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")), "the title is not shown in the window")
    xmp = root.Metadata.read_bytes().decode("utf-8")
    c.expect("<pdfaid:part>2</pdfaid:part>" in xmp, "XMP: no pdfaid:part 2")
    c.expect("<pdfaid:conformance>A</pdfaid:conformance>" in xmp, "XMP: no pdfaid:conformance A")
    c.expect("<pdfuaid:part>1</pdfuaid:part>" in xmp, "XMP: no pdfuaid:part 1")
    c.expect("http://www.aiim.org/pdfua/ns/id/" in re.findall(r"<pdfaSchema:namespaceURI>([^<]*)<", xmp),
             "XMP: the pdfuaid schema is not declared as a PDF/A extension")
    title = str(pdf.trailer.Info.get("/Title", "")) if "/Info" in pdf.trailer else ""
    c.expect(title and title in xmp, "the title of the document information is not the XMP's dc:title")
    intents = root.get("/OutputIntents", [])
    ok = False
    for intent in intents:
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFA1" and profile is not None:
            icc = profile.read_bytes()
            ok = icc[16:20] == b"RGB " and b"sRGB" in icc[:4096] + icc[-4096:] or (icc[16:20] == b"RGB " and int(profile.get("/N", 0)) == 3)
    c.expect(ok, "no sRGB PDF/A output intent")
    # Fonts: embedded, with a ToUnicode map; no transparency.
    fonts = {}
    for n, page in enumerate(pdf.pages):
        c.expect("/Group" not in page.obj or page.obj.Group.get("/S") != "/Transparency", f"page {n + 1}: a transparency group")
        resources = page.obj.get("/Resources", {})
        for key, font in resources.get("/Font", {}).items():
            fonts[font.objgen] = font
        for key, gs in resources.get("/ExtGState", {}).items():
            c.expect("/SMask" not in gs or gs.SMask == "/None", f"page {n + 1}: a soft mask")
            for alpha in ("/CA", "/ca"):
                c.expect(float(gs.get(alpha, 1)) == 1.0, f"page {n + 1}: transparency {alpha}")
    c.expect(fonts, "no font")
    for font in fonts.values():
        name = str(font.get("/BaseFont"))
        c.expect("/ToUnicode" in font, f"font {name}: no ToUnicode")
        descendants = font.get("/DescendantFonts", [font])
        for d in descendants:
            fd = d.get("/FontDescriptor", {})
            c.expect(any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"font {name}: not embedded")
    # Every text and path inside marked content: tagged (an MCID) or an artifact.
    for n, page in enumerate(pdf.pages):
        depth = 0
        loose = 0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                depth += 1
            elif op == "EMC":
                depth -= 1
            elif depth == 0 and (op in TEXT_OPS or op in PATH_OPS):
                loose += 1
        c.expect(loose == 0, f"page {n + 1}: {loose} text or path operations outside marked content")
        c.expect(depth == 0, f"page {n + 1}: marked content not closed")
    tree = root.get("/StructTreeRoot")
    if not c.expect(tree is not None, "no structure tree"):
        return {}
    c.expect("/ParentTree" in tree, "no parent tree")
    role_map = tree.get("/RoleMap", {})
    types = {}
    for e in elements(tree):
        t = role(e, role_map)
        c.expect(t in STANDARD, f"structure type {t} is not standard")
        types[t] = types.get(t, 0) + 1
    for table in (e for e in elements(tree) if str(e.S) == "/Table"):
        closes(table, c)
    return types


def closes(table, c):
    """Every row of a table covers the same columns once row and column spans are applied."""
    rows = []
    for group in kids(table):
        if not isinstance(group, pikepdf.Dictionary):
            continue
        trs = [group] if str(group.get("/S")) == "/TR" else [r for r in kids(group) if isinstance(r, pikepdf.Dictionary) and str(r.get("/S")) == "/TR"]
        for tr in trs:
            rows.append([(int(attr(x, "/RowSpan") or 1), int(attr(x, "/ColSpan") or 1)) for x in kids(tr)
                         if isinstance(x, pikepdf.Dictionary) and str(x.get("/S")) in ("/TH", "/TD")])
    taken = set()
    for r, row in enumerate(rows):
        col = 0
        for rowspan, colspan in row:
            while (r, col) in taken:
                col += 1
            taken.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            col += colspan
    widths = [sum(1 for (y, _) in taken if y == r) for r in range(len(rows))]
    c.expect(len(set(widths)) <= 1, f"a table whose rows cover {sorted(set(widths))} columns")


def table_cells(table):
    for e in elements(table):
        if str(e.S) in ("/TH", "/TD"):
            yield e


def official(pdf, c, types):
    c.expect(types.get("H1") == 1, f"{types.get('H1')} H1 headings, not the title alone")
    c.expect(types.get("Table", 0) >= 2, "fewer than two tables (header block, main table)")
    c.expect(types.get("H2", 0) >= 2, "the attitudes and notes are not headings")
    c.expect(types.get("L", 0) >= 2 and types.get("LI", 0) >= 2, "the attitudes and notes are not lists")
    tree = pdf.Root.StructTreeRoot
    nested = any(str(e.S) == "/L" and any(str(d.S) == "/L" for d in elements(e)) for e in elements(tree))
    c.expect(nested, "no list nested in a list (the notes' second level)")
    tables = [e for e in elements(tree) if str(e.S) == "/Table"]
    main = max(tables, key=lambda t: sum(1 for _ in table_cells(t)))
    heads = [e for e in table_cells(main) if str(e.S) == "/TH"]
    c.expect(len(heads) >= 7 and all(attr(h, "/Scope") == "/Column" for h in heads), "the main table's head is not TH with scope Column")
    spans = [e for e in table_cells(main) if attr(e, "/RowSpan") is not None]
    c.expect(spans, "no TD of the main table spans rows")
    block = tables[0] if tables[0] is not main else tables[1]
    c.expect(any(attr(e, "/Scope") == "/Row" for e in table_cells(block)), "the header block's labels are not TH with scope Row")
    # The outline: an entry per duty.
    outlines = pdf.Root.get("/Outlines")
    count = 0
    item = outlines.get("/First") if outlines is not None else None
    while item is not None:
        count += 1
        item = item.get("/Next")
    c.expect(count >= 1, "no bookmarks")
    repeated(pdf, c, "主要職責" if str(pdf.Root.get("/Lang", "")) == "zh-Hant-TW" else "Duty")


def repeated(pdf, c, head):
    """The table head on every page after the first where it shows is an artifact; on its first page, content."""
    with pdfplumber.open(pdf.filename) as doc:
        seen = 0
        for n, page in enumerate(doc.pages):
            chars = [ch for ch in page.chars if ch["text"] == head[0]]
            for ch in chars:
                text = "".join(x["text"] for x in page.chars if abs(x["top"] - ch["top"]) < 1 and x["x0"] >= ch["x0"])[: len(head)]
                if text != head:
                    continue
                tag = ch.get("tag")
                if seen == 0:
                    c.expect(tag != "Artifact", f"page {n + 1}: the table head where it first shows is an artifact")
                else:
                    c.expect(tag == "Artifact", f"page {n + 1}: the repeated table head is not an artifact (tag {tag})")
                seen += 1
        c.expect(seen >= 2, f"the head {head} shows on {seen} page(s)")
        # Page numbers are artifacts.
        for n, page in enumerate(doc.pages):
            footer = [ch for ch in page.chars if ch["top"] > page.height - 40]
            c.expect(footer and all(ch.get("tag") == "Artifact" for ch in footer), f"page {n + 1}: the footer is not an artifact")


def matrix(pdf, c, types):
    c.expect(types.get("Table", 0) >= 1 and types.get("TH", 0) >= 10, "the matrix is not a table with header cells")
    marks = 0
    for page in pdf.pages:
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) and "/Alt" in operands[1]:
                marks += 1
    c.expect(marks >= 10, f"{marks} marks with a text equivalent")


def checklist(pdf, c, types):
    form = pdf.Root.get("/AcroForm")
    if not c.expect(form is not None, "no AcroForm"):
        return
    c.expect(not form.get("/NeedAppearances", False), "NeedAppearances (forbidden by PDF/A-2)")
    names = {}

    def walk(field, prefix):
        t = str(field.get("/T", "")) if "/T" in field else None
        full = f"{prefix}.{t}" if prefix and t is not None else (t or prefix)
        widgets = [k for k in field.get("/Kids", []) if k.get("/Subtype") == "/Widget"]
        children = [k for k in field.get("/Kids", []) if k.get("/Subtype") != "/Widget"]
        if "/FT" in field:
            names[full] = (field, widgets)
        for k in children:
            walk(k, full)

    for f in form.Fields:
        walk(f, "")
    chinese = str(pdf.Root.get("/Lang", "")) == "zh-Hant-TW"
    # The official template's names; an English template names the same fields in English.
    achieved, method = ("達成", "評量方式") if chinese else ("Met", "Method")
    options = ["實作", "觀察", "口試", "筆試", "作品"]
    pairs = [n for n in names if re.fullmatch(r"P\d+\.\d+\.\d+\." + achieved, n)]
    c.expect(pairs, f"no field named like P1.1.1.{achieved}")
    if chinese:
        for required in ("學員", "訓練師", "訓練期間", "整體評量結果"):
            c.expect(required in names, f"no field {required}")
    widgets = 0
    for name, (field, kids_) in names.items():
        c.expect("/TU" in field, f"field {name}: no tooltip")
        widgets += len(kids_)
        for w in kids_:
            c.expect(int(w.get("/F", 0)) & 4 == 4, f"field {name}: a widget that does not print")
            c.expect("/AP" in w, f"field {name}: a widget without an appearance")
            c.expect("/StructParent" in w, f"field {name}: a widget outside the structure tree")
        if name in pairs:
            states = [str(k)[1:] for w in kids_ for k in w.AP.N.keys() if k != "/Off"]
            c.expect(len(states) == 2 and (not chinese or set(states) == {"達成", "未達成"}), f"field {name}: boxes {states}")
        if name.endswith("." + method) and chinese:
            c.expect([str(o) for o in field.Opt] == options, f"field {name}: options {list(field.Opt)}")
    c.expect(types.get("Form", 0) == widgets, f"{types.get('Form', 0)} Form elements for {widgets} widgets")


def main(argv):
    failures = []
    pairs = list(zip(argv[0::2], argv[1::2]))
    for kind, path in pairs:
        c = Check(path)
        with pikepdf.open(path) as pdf:
            types = common(pdf, c)
            {"official": official, "matrix": matrix, "checklist": checklist}.get(kind, lambda *a: None)(pdf, c, types)
        failures.extend(c.failures)
    for f in failures:
        print(f)
    print(f"{len(pairs)} PDF(s) checked, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

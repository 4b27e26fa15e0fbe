#!/usr/bin/env python3
"""Fill an ocs checklist PDF the way a script or a viewer does, and flatten it for print.

    python3 tests/pdf_fill.py CHECKLIST.pdf FILLED.pdf

Fills, with pypdf, the first indicator's 達成 box, its 評量方式 (實作), 評語 and 日期, the 學員 and
訓練師 fields and the 通過 radio button, has pypdf write each value's appearance and flatten the
fields into the page (what printing does), and prints the filled values as JSON read back from the
form before flattening: {"P1.1.1.達成": "/達成", ...}. The Rust test finds them on the page.
"""
import json
import sys

from pypdf import PdfReader, PdfWriter


def main(source, target):
    reader = PdfReader(source)
    fields = reader.get_fields()
    ticks = sorted(n for n in fields if n.count(".") == 3 and n.endswith(".達成") and n.startswith("P"))
    code = ticks[0].rsplit(".", 1)[0]
    values = {
        f"{code}.達成": "/達成",
        f"{code}.評量方式": "實作",
        f"{code}.評語": "Good work 2026",
        f"{code}.日期": "2026-12-03",
        "學員": "Wang Xiaoming",
        "訓練師": "Lin Trainer",
        "整體評量結果": "/通過",
    }
    writer = PdfWriter(clone_from=reader)
    writer.set_need_appearances_writer(False)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    # Read back before flattening: the values a script gets from the filled form.
    with open(target + ".form.pdf", "wb") as f:
        writer.write(f)
    read = {k: str(v.get("/V")) for k, v in PdfReader(target + ".form.pdf").get_fields().items() if k in values}
    writer = PdfWriter(clone_from=PdfReader(target + ".form.pdf"))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False, flatten=True)
    with open(target, "wb") as f:
        writer.write(f)
    print(json.dumps({"code": code, "read": read}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""Benchmark corpus generator for `cchc extract` (issue 8).

    python3 benches/make_corpus.py --n 1000 --pdfs 200 --out /tmp/cchc-corpus/1000

Writes, under --out:

  text/NNNNN_<template>.txt   N text reports built from the five fixture texts
                              (fixtures/text/*.txt, round robin) with
                              - the unit names ("Cẩm Thành", "Trương Quang Trọng",
                                "Phường 2") replaced by a generated ward name,
                              - every prose fraction "843/847" rescaled by one
                                monotone per-document map (so equal operands stay
                                equal and numerator <= denominator holds), keeping
                                the number grammar (zero padding "06", dot
                                thousands "1.246", undotted "1780"),
                              - the percent stated for a fraction in the same
                                clause ("843/847 hồ sơ đạt 99,52%") recomputed as
                                100*num/den truncated to 2 decimals, Vietnamese
                                style ("99,52", "8,3", "100"),
                              - dates "d/m/yyyy" shifted by a per-document day
                                offset (same date -> same new date; month/year kept).
  pdf/NNNN_<fixture>.pdf      --pdfs PDFs: copies of the fixture PDFs (good and bad),
                              each made byte-unique by a trailing PDF comment so
                              the copies get distinct doc_ids.
  pdf_tables/…                (hard links to) the copies of the table PDFs
                              (001_report, 001_report_tagged, 004_appendix).
  bad/                        a few bad files: empty .txt, binary .txt, truncated
                              .pdf, zero-byte .pdf.
  truth.jsonl                 one JSON object per fraction-like token of the text
                              reports: {file, line, raw, numerator, denominator,
                              stated_percent, percent_raw, label}; label is
                              "fraction" (varied, scored), "ignore" (a table cell
                              or a rank like "01/63": a fraction, but not one the
                              benchmark insists on) or "not_fraction" (a date
                              "31/3", a month "4/2025": must not be a fraction).

Fast: each template is scanned once into static text + slots; every document
is a join of strings. 10 000 reports (~700 MB) take well under a minute.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TEXT_DIR = os.path.join(ROOT, "fixtures", "text")
PDF_DIR = os.path.join(ROOT, "fixtures", "pdf")

GOOD_PDFS = ["000_report.pdf", "001_report.pdf", "001_report_tagged.pdf", "004_appendix.pdf"]
TABLE_PDFS = ["001_report.pdf", "001_report_tagged.pdf", "004_appendix.pdf"]
BAD_PDFS = ["image_only.pdf", "encrypted.pdf", "encrypted_empty_password.pdf", "truncated.pdf"]

# Unit names of the fixtures, longest first.
UNIT_NAMES = ["Trương Quang Trọng", "Cẩm Thành", "Phường 2"]

SYL1 = ["Hòa", "Tân", "Phú", "An", "Bình", "Long", "Thạnh", "Nghĩa", "Đức", "Tịnh", "Sơn",
        "Quang", "Minh", "Trà", "Phước", "Hưng", "Thuận", "Xuân", "Vĩnh", "Lợi"]
SYL2 = ["Thành", "Hiệp", "Phong", "Lộc", "Hải", "Trung", "Khánh", "Mỹ", "Tây", "Đông", "Nam",
        "Bắc", "Thịnh", "Lâm", "Hà", "Kỳ", "Lạc", "Sơn", "Phát", "Tiến"]

NUM = r"(?:\d{1,3}(?:\.\d{3})+|\d+)"
FRAC_RE = re.compile(r"(?<![\d/.,])(" + NUM + r")/(" + NUM + r")(?![\d/]|[.,]\d)")
LONG_RE = re.compile(r"(?<![\d/.,])(" + NUM + r") ([^/\d;.]{1,160}?)\s*/\s*(" + NUM + r")(?![\d/]|[.,]\d)")
LOOSE_RE = re.compile(r"(?<![\d/.,])(" + NUM + r") [^/;]{1,160}?\s*/\s*(" + NUM + r")(?![\d/]|[.,]\d)")
DATE_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")
# The percent stated for the fraction: "đạt 99,52%", "(tỷ lệ 36,92%)", "(chiếm \n\n74,77%)",
# "tỷ lệ: 91,17%", "chiếm 10%", "đạt tỷ lệ \n\n100%" - before the clause ends.
PCT_RE = re.compile(r"(đạt(?:\s+tỷ\s+lệ)?|tỷ\s+lệ|chiếm)\s*:?\s*(\d{1,3}(?:,\d+)?)\s*%")
DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def parse_num(s):
    return int(s.replace(".", ""))


def fmt_num(v, like):
    """Format v in the grammar of the original operand `like`."""
    if "." in like or (v >= 1000 and int(like.replace(".", "")) < 1000):
        s = f"{v:,}".replace(",", ".")
    else:
        s = str(v)
    if len(like) == 2 and like.startswith("0") and v < 10:
        s = "0" + s
    return s


def trunc_pct(num, den):
    """100*num/den truncated to 2 decimals (exact integer arithmetic)."""
    return (num * 10000 // den) / 100.0


def fmt_pct(p):
    s = f"{p:.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def classify(text, m):
    """'fraction' | 'ignore' | 'not_fraction' | None (document number etc.)."""
    a, b = m.group(1), m.group(2)
    pre = text[max(0, m.start() - 30):m.start()]
    post = text[m.end():m.end() + 40]
    if re.search(r"(?i)ngày\s*$", pre):
        return None  # a date "ngày 15/8" (kept as is, not scored)
    nb = parse_num(b)
    if "." not in b and 1900 <= nb <= 2100 and parse_num(a) <= 12:
        return "not_fraction"  # month "tháng 4/2025"
    if re.search(r"(?i)tháng\s*$", pre):
        return "not_fraction"  # "tháng 4/202511" (month + footnote mark)
    if re.search(r"(?i)đến\s*$", pre) and re.match(r"\s*\)", post):
        return "not_fraction"  # "(tính đến 31/3)"
    if re.match(r"[ \t]*\n", post) or re.search(r"\t$", pre):
        return "ignore"  # a table cell of an exported table
    if re.search(r"vị trí\s*$", pre):
        return "ignore"  # a rank "xếp vị trí 01/63 tỉnh"
    if parse_num(a) > nb:
        return None
    if re.match(r"\s*(?:\(|[a-zà-ỹđA-ZÀ-ỸĐ])", post) or re.match(r"\s*$", post):
        return "fraction"
    return None


def find_percent(text, end):
    """Stated percent after a fraction ending at `end`, in the same clause."""
    window = text[end:end + 90]
    stop = len(window)
    for pat in (r";", r"\.(?!\d)", r"\d/\d", r"\n\s*\n\s*[-+*•]", r"\n\s*\n\s*[IVX\d]+\."):
        mm = re.search(pat, window)
        if mm:
            stop = min(stop, mm.start())
    mm = PCT_RE.search(window, 0, stop)
    if not mm:
        return None
    link = "comma" if "," in window[:mm.start()] else "direct"
    return (end + mm.start(2), end + mm.end(2), link)


class Template:
    """A fixture text split into static pieces and typed slots."""

    def __init__(self, path):
        self.name = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.text = text
        slots = []  # (start, end, kind, data)
        for name in UNIT_NAMES:
            for m in re.finditer(re.escape(name), text):
                slots.append((m.start(), m.end(), "name", None))
        for m in DATE_RE.finditer(text):
            slots.append((m.start(), m.end(), "date", (int(m.group(1)), int(m.group(2)), m.group(3), m.group(1))))
        fracs = []
        taken = lambda a, b: any(s < b and a < e for s, e, _, _ in slots)
        for rx, form in ((FRAC_RE, "short"), (LONG_RE, "long")):
            for m in rx.finditer(text):
                if taken(m.start(), m.end()):
                    continue
                na, nb = parse_num(m.group(1)), parse_num(m.group(m.lastindex))
                if form == "short":
                    label = classify(text, m)
                elif na <= nb and not re.search(r"(?i)ngày\s*$", text[max(0, m.start() - 30):m.start()]) \
                        and not re.search(r"\n\s*\n\s*[-+*•]", m.group(2)):
                    label = "fraction"
                else:
                    label = None
                if label is None:
                    continue
                line = text.count("\n", 0, m.start()) + 1
                if label != "fraction":
                    fracs.append({"label": label, "line": line, "raw": m.group(0), "numerator": na, "denominator": nb})
                    continue
                pct = find_percent(text, m.end())
                slot = {"line": line, "a": m.group(1), "b": m.group(m.lastindex), "pct": None, "form": form}
                slots.append((m.start(1), m.end(1), "num", slot))
                slots.append((m.start(m.lastindex), m.end(m.lastindex), "den", slot))
                if pct is not None:
                    ps, pe, link = pct
                    pslot = {"link": link}
                    slot["pct"] = pslot
                    slots.append((ps, pe, "pct", pslot))
        # looser long forms ("82 DVCTT … mức độ 4 / 124 TTHC"): not varied, not scored
        for m in LOOSE_RE.finditer(text):
            if taken(m.start(), m.end()):
                continue
            na, nb = parse_num(m.group(1)), parse_num(m.group(2))
            if na <= nb:
                fracs.append({"label": "ignore", "line": text.count("\n", 0, m.start()) + 1, "raw": m.group(0),
                              "numerator": na, "denominator": nb})
        slots.sort(key=lambda s: s[0])
        # drop overlaps (keep the first)
        clean, last = [], -1
        for s in slots:
            if s[0] >= last:
                clean.append(s)
                last = s[1]
        self.pieces, self.slots = [], []
        pos = 0
        for s, e, kind, data in clean:
            self.pieces.append(text[pos:s])
            self.slots.append((kind, data, text[s:e]))
            pos = e
        self.tail = text[pos:]
        self.fixed = fracs
        # operand values that a document map must cover
        self.values = sorted({parse_num(d["a"]) for k, d, _ in self.slots if k == "num"}
                             | {parse_num(d["b"]) for k, d, _ in self.slots if k == "num"})


def ward_name(rng):
    a = rng.choice(SYL1)
    b = rng.choice([s for s in SYL2 if s != a])
    return f"{a} {b}"


def value_map(values, rng):
    """Strictly increasing map: equal operands stay equal, order (num < den) is kept."""
    k = rng.uniform(0.55, 1.9)
    out, prev = {}, 0
    for v in values:  # sorted
        nv = max(1, int(v * k + 0.5))
        nv = max(nv, prev + 1)
        out[v] = nv
        prev = nv
    return out


def render(t, rng):
    name = ward_name(rng)
    vmap = value_map(t.values, rng)
    dshift = rng.randint(-3, 3)
    out, truth = [], []
    cur_frac = None
    for piece, (kind, data, orig) in zip(t.pieces, t.slots):
        out.append(piece)
        if kind == "name":
            out.append(name if orig != "Phường 2" else "Phường " + name)
        elif kind == "date":
            d, mth, y, dlike = data
            nd = min(max(1, d + dshift), DAYS.get(mth, 28))
            out.append((f"{nd:02d}" if len(dlike) == 2 else str(nd)) + orig[len(dlike):])
        elif kind == "num":
            a, b = parse_num(data["a"]), parse_num(data["b"])
            na, nb = vmap[a], vmap[b]
            sa, sb = fmt_num(na, data["a"]), fmt_num(nb, data["b"])
            data["den_text"] = sb
            out.append(sa)
            cur_frac = {"line": data["line"], "raw": sa + "/" + sb if data["form"] == "short" else f"{sa} …/{sb}",
                        "numerator": na, "denominator": nb, "form": data["form"],
                        "stated_percent": None, "percent_raw": None, "percent_link": None,
                        "label": "fraction"}
            truth.append(cur_frac)
            if data["pct"] is not None:
                p = trunc_pct(na, nb)
                cur_frac["stated_percent"] = p
                cur_frac["percent_raw"] = fmt_pct(p) + "%"
                cur_frac["percent_link"] = data["pct"]["link"]
                data["pct"]["value"] = fmt_pct(p)
        elif kind == "den":
            out.append(data["den_text"])
        elif kind == "pct":
            out.append(data["value"])
    out.append(t.tail)
    for f in t.fixed:
        truth.append(dict(f, stated_percent=None, percent_raw=None, percent_link=None))
    return "".join(out), truth


def unique_copy(src, dst, tag):
    with open(src, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        data += b"\n"
    with open(dst, "wb") as f:
        f.write(data + b"% cchc-bench copy " + tag.encode() + b"\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of text reports")
    ap.add_argument("--pdfs", type=int, default=0, help="number of PDFs (copies of the fixture PDFs)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--bad", type=int, default=1, help="write the bad/ files (0 = no)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    tdir = os.path.join(args.out, "text")
    os.makedirs(tdir)
    templates = [Template(os.path.join(TEXT_DIR, f)) for f in sorted(os.listdir(TEXT_DIR)) if f.endswith(".txt")]
    nbytes = 0
    with open(os.path.join(args.out, "truth.jsonl"), "w", encoding="utf-8") as tj:
        for i in range(args.n):
            t = templates[i % len(templates)]
            text, truth = render(t, rng)
            fname = f"{i:05d}_{t.name}.txt"
            data = text.encode("utf-8")
            nbytes += len(data)
            with open(os.path.join(tdir, fname), "wb") as f:
                f.write(data)
            for row in truth:
                row["file"] = "text/" + fname
                row["template"] = t.name
                tj.write(json.dumps(row, ensure_ascii=False) + "\n")

    npdf = 0
    if args.pdfs > 0:
        pdir = os.path.join(args.out, "pdf")
        tbl = os.path.join(args.out, "pdf_tables")
        os.makedirs(pdir)
        os.makedirs(tbl)
        # ~8% bad PDFs (image-only, encrypted, truncated), the rest good, round robin
        pool = GOOD_PDFS * 12 + BAD_PDFS
        for i in range(args.pdfs):
            src = pool[i % len(pool)]
            dst = os.path.join(pdir, f"{i:04d}_{src}")
            unique_copy(os.path.join(PDF_DIR, src), dst, str(i))
            if src in TABLE_PDFS:
                os.link(dst, os.path.join(tbl, os.path.basename(dst)))
            npdf += 1

    if args.bad:
        bdir = os.path.join(args.out, "bad")
        os.makedirs(bdir)
        open(os.path.join(bdir, "empty.txt"), "wb").close()
        open(os.path.join(bdir, "empty.pdf"), "wb").close()
        with open(os.path.join(bdir, "binary.txt"), "wb") as f:
            f.write(random.Random(1).randbytes(65536))
        with open(os.path.join(PDF_DIR, "001_report.pdf"), "rb") as f:
            pdf = f.read()
        with open(os.path.join(bdir, "truncated_001.pdf"), "wb") as f:
            f.write(pdf[: len(pdf) // 3])
        with open(os.path.join(bdir, "garbage.pdf"), "wb") as f:
            f.write(b"%PDF-1.7\n" + random.Random(2).randbytes(20000))

    print(f"make_corpus: {args.n} text report(s) ({nbytes / 1e6:.1f} MB), {npdf} PDF(s) → {args.out}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Render BENCH_DIR/results.tsv (+ accuracy, machine notes) as benches/RESULTS.md."""
import csv
import json
import os
import sys

B = sys.argv[1]
rows = {r["label"]: r for r in csv.DictReader(open(os.path.join(B, "results.tsv")), delimiter="\t")}


def f(x):
    return float(x) if x not in (None, "") else 0.0


def rate(r):
    w = f(r["wall_s"])
    return (f(r["docs"]) / w if w else 0.0, f(r["bytes"]) / 1e6 / w if w else 0.0)


def get(label):
    return rows.get(label)


out = []
p = out.append
p("# cchc benchmarks (issue 8)\n")
p("Produced by `benches/run.sh` (corpora from `benches/make_corpus.py`). All numbers below come from one run on one machine.\n")
p("## Machine and load\n")
p("```")
p(open(os.path.join(B, "machine.txt")).read().rstrip())
p("```")
p("The machine has 2 cores shared with other workers (builds/tests ran at the same time), so absolute numbers are noisy, "
  "and the CPU% column shows how much CPU each run actually got. Compare ratios, and only within this run.\n")

p("## Runs\n")
p("| run | corpus | docs | MB | threads/procs | wall s | docs/s | MB/s | CPU s (u+s) | CPU % | peak RSS MB | exit |")
p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows.values():
    d, m = rate(r)
    p(f"| {r['label']} | {r['corpus']} | {r['docs']} | {f(r['bytes'])/1e6:.1f} | {r['threads']} | {f(r['wall_s']):.2f} | "
      f"{d:.1f} | {m:.2f} | {f(r['user_s'])+f(r['sys_s']):.1f} | {r['cpu_pct']} | {f(r['rss_kb'])/1024:.0f} | {r['exit']} |")
p("")

# ---- ratios against the targets
p("## Ratios against the targets\n")
p("| check | measured | target | met? |")
p("|---|---|---|---|")


def line(name, val, target_txt, ok, note=""):
    p(f"| {name} | {val} | {target_txt} | {'yes' if ok else 'NO'}{(' — ' + note) if note else ''} |")


c2, t2 = get("cchc-pdf-j2"), get("pdftotext-pdf-P2")
if c2 and t2:
    r = f(t2["wall_s"]) / f(c2["wall_s"])
    line("PDFs: cchc -j2 vs pdftotext -layout ×2 procs (throughput)", f"{r:.2f}×", "≥ 1.5×", r >= 1.5,
         f"{rate(c2)[0]:.1f} vs {rate(t2)[0]:.1f} PDFs/s")
c1, t1 = get("cchc-pdf-j1"), get("pdftotext-pdf-P1")
if c1 and t1:
    r = f(t1["wall_s"]) / f(c1["wall_s"])
    line("PDFs: cchc -j1 vs pdftotext -layout sequential", f"{r:.2f}×", "(info)", True,
         f"{rate(c1)[0]:.1f} vs {rate(t1)[0]:.1f} PDFs/s")
ct, pt = get("cchc-tables-j1"), get("pdfplumber-tables-P1")
if ct and pt:
    cs = f(ct["wall_s"]) / f(ct["docs"])
    ps = f(pt["wall_s"]) / f(pt["docs"])
    try:  # pdfplumber's own timing (without Python start-up and imports): fairer to the peer
        ps = json.loads(open(os.path.join(B, "log.pdfplumber-tables-P1")).read().strip().splitlines()[-1])["s_per_pdf"]
    except Exception:
        pass
    line("tables: pdfplumber s/PDF ÷ cchc s/PDF (1 core each)", f"{ps/cs:.1f}×", "≥ 50×", ps / cs >= 50,
         f"cchc {cs*1000:.1f} ms/PDF (whole pipeline), pdfplumber {ps*1000:.0f} ms/PDF (extract_tables only, {pt['docs']} PDFs, in-process timing)")
sizes = sorted({int(r["corpus"][4:]) for r in rows.values() if r["corpus"].startswith("text")})
for n in sizes:
    a, b = get(f"cchc-text{n}-j1"), get(f"cchc-text{n}-j2")
    if a:
        m1 = rate(a)[1]
        cpu_mbs = f(a["bytes"]) / 1e6 / max(1e-9, f(a["user_s"]) + f(a["sys_s"]))
        line(f"text {n}: MB/s per core (-j1 wall)", f"{m1:.1f} MB/s", "≥ 30 MB/s", m1 >= 30,
             f"{cpu_mbs:.1f} MB per CPU-second")
    if b:
        m2 = rate(b)[1] / 2
        line(f"text {n}: MB/s per core (-j2 wall ÷ 2)", f"{m2:.1f} MB/s", "≥ 30 MB/s", m2 >= 30)
    if a and b:
        s = f(a["wall_s"]) / f(b["wall_s"])
        line(f"text {n}: 2 threads vs 1 thread", f"{s:.2f}×", "≥ 1.8×", s >= 1.8,
             f"CPU% {a['cpu_pct']} → {b['cpu_pct']}")
a, b = get("cchc-pdf-j1"), get("cchc-pdf-j2")
if a and b:
    s = f(a["wall_s"]) / f(b["wall_s"])
    line("PDFs: 2 threads vs 1 thread", f"{s:.2f}×", "≥ 1.8×", s >= 1.8, f"CPU% {a['cpu_pct']} → {b['cpu_pct']}")
if sizes:
    n = sizes[-1]
    for j in (1, 2):
        r = get(f"cchc-text{n}-j{j}")
        if r:
            mb = f(r["rss_kb"]) / 1024
            line(f"peak RSS, {n} text reports, -j{j}", f"{mb:.0f} MB", "< 300 MB" if n >= 10000 else "(10 000 not run)", mb < 300)
p("")

# ---- issue 17 headline: text MB/s on 2 threads, PDF pages/s and ratios, same run
p("## Throughput (issue 17)\n")
p("| measure | value | target | met? |")
p("|---|---|---|---|")


def rounds(label):
    """Rows of a label over the alternated rounds (label, label-r2, …)."""
    return [r for k, r in rows.items() if k == label or (k.startswith(label + "-r") and k[len(label) + 2:].isdigit())]


def total_wall(label):
    return sum(f(r["wall_s"]) for r in rounds(label))


for n in sizes:
    b = get(f"cchc-text{n}-j2")
    if b:
        m = rate(b)[1]
        line(f"text {n}: whole extract on 2 threads (-j2, Parquet included)", f"{m:.1f} MB/s", "≥ 30 MB/s", m >= 30,
             f"{f(b['bytes'])/1e6:.0f} MB in {f(b['wall_s']):.2f} s, CPU {b['cpu_pct']}%")
    a = get(f"cchc-text{n}-j1")
    if a:
        line(f"text {n}: -j1", f"{rate(a)[1]:.1f} MB/s", "(info)", True, f"CPU {a['cpu_pct']}%")


def read_int(name):
    try:
        return int(open(os.path.join(B, name)).read().strip() or 0)
    except (OSError, ValueError):
        return 0


pages = read_int("pdf_pages.txt")
for j in (1, 2):
    c, t = rounds(f"cchc-pdf-j{j}"), rounds(f"pdftotext-pdf-P{j}")
    if c and t and pages:
        cw, tw = total_wall(f"cchc-pdf-j{j}"), total_wall(f"pdftotext-pdf-P{j}")
        cp, tp = pages * len(c) / cw, pages * len(t) / tw
        line(f"PDFs: cchc -j{j} vs pdftotext -layout ×{j} procs, pages/s ({len(c)} alternated rounds)", f"{cp:.0f} vs {tp:.0f} pages/s = {cp/tp:.2f}×",
             "≥ 1.5×" if j == 2 else "(info)", cp / tp >= 1.5 or j == 1, f"{pages} pages per round")
if ct and pt:
    tpages = read_int("table_pages.txt")
    if tpages:
        cps = tpages / f(ct["wall_s"])
        line("tables: cchc pages/s (whole pipeline, 1 core)", f"{cps:.0f} pages/s", "(info)", True, f"ratio to pdfplumber: see above ({ps/cs:.1f}×)")
p("")

# ---- accuracy
acc = os.path.join(B, "accuracy.json")
if os.path.exists(acc):
    s = json.load(open(acc))
    p("## Accuracy against the generated ground truth\n")
    p(f"Fractions varied by the generator in {s['files']} text reports (`truth.jsonl`, label `fraction`), "
      "matched to `figures.parquet` rows of kind `fraction` by file, numerator, denominator and line (±3).\n")
    p("| measure | value |")
    p("|---|---|")
    p(f"| fraction recall | {s['recall']:.3f} ({s['matched']}/{s['truth_fractions']}) |")
    p(f"| fraction precision | {s['precision']:.3f} ({s['false_pos_unknown']} unmatched + {s['false_pos_not_fraction']} dates/months taken as fractions; {s['matched_ignored']} table-cell/rank matches not counted) |")
    p(f"| stated percent right | {s['stated_percent_ok']}/{s['stated_percent_total']} ({s['stated_percent_acc']:.3f}); wrong {s['stated_percent_wrong']}, missing {s['stated_percent_missing']}, stated where truth has none {s['stated_percent_extra']} |")
    p(f"| stated percent by link (direct = same clause, comma = after a comma) | {s['stated_percent_by_link']} |")
    p(f"| recall by template | {s['recall_by_template']} |")
    p("")
    txt = os.path.join(B, "accuracy.txt")
    if os.path.exists(txt):
        p("```")
        p(open(txt).read().rstrip())
        p("```\n")

# ---- cchc summaries of the PDF / bad runs
p("## cchc summaries (PDF, tables and bad-file runs)\n")
p("```")
for label in ("cchc-pdf-j2", "cchc-tables-j1", "cchc-bad-j2"):
    path = os.path.join(B, "log." + label)
    if os.path.exists(path):
        p(f"$ {label}")
        lines = open(path, errors="replace").read().splitlines()
        p("\n".join(lines[-12:]))
plog = os.path.join(B, "log.pdfplumber-tables-P1")
if os.path.exists(plog):
    p("$ pdfplumber-tables-P1")
    p(open(plog).read().strip())
p("```")
print("\n".join(out))

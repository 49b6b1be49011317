#!/usr/bin/env python3
"""Accuracy check of `cchc extract` against the corpus ground truth.

    python3 benches/check_truth.py CORPUS_DIR OUT_DIR [--json RESULT.json]

CORPUS_DIR holds truth.jsonl (benches/make_corpus.py); OUT_DIR is what
`cchc extract CORPUS_DIR/text --out OUT_DIR` wrote. Matching, per file: a
cchc figure of kind "fraction" matches a truth row with the same numerator and
denominator whose line is within 3 lines (nearest first, each truth row once).

  recall     = varied truth fractions matched / varied truth fractions
  precision  = matched varied / (matched varied + cchc fractions matching no
               truth row + cchc fractions matching a "not_fraction" row);
               matches with "ignore" rows (table cells, ranks) are not counted
  percent    = of the matched varied fractions with a stated percent in the
               truth, how many carry the same stated_percent (|d| < 0.006)
"""
import argparse
import collections
import json
import os
import subprocess
import sys


def need_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pyarrow"], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--json", help="write the summary here")
    ap.add_argument("--show", type=int, default=8, help="examples of misses to print")
    args = ap.parse_args()
    need_pyarrow()
    import pyarrow.parquet as pq

    truth = collections.defaultdict(list)
    with open(os.path.join(args.corpus, "truth.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            r["matched"] = None
            truth[r["file"]].append(r)

    docs = pq.read_table(os.path.join(args.out, "documents.parquet"), columns=["doc_id", "path"]).to_pylist()
    rel = {}
    for d in docs:
        parts = d["path"].replace("\\", "/").split("/")
        rel[d["doc_id"]] = "/".join(parts[-2:])
    figs = pq.read_table(os.path.join(args.out, "figures.parquet"),
                         columns=["doc_id", "kind", "raw", "line", "numerator", "denominator", "stated_percent"]).to_pylist()

    tp = fp_none = fp_not = ign = 0
    pct_ok = pct_bad = pct_missing = pct_extra = 0
    fp_examples, pct_examples = [], []
    per_tpl = collections.defaultdict(lambda: [0, 0])  # template -> [matched, total]
    for g in figs:
        if g["kind"] != "fraction":
            continue
        f = rel.get(g["doc_id"])
        if f not in truth:
            continue  # not a scored file (PDF, bad file)
        cands = [r for r in truth[f] if r["matched"] is None
                 and r["numerator"] == g["numerator"] and r["denominator"] == g["denominator"]
                 and abs((g["line"] or 0) - r["line"]) <= 3]
        if not cands:
            fp_none += 1
            if len(fp_examples) < args.show:
                fp_examples.append(f"{f}:{g['line']} {g['raw']!r}")
            continue
        cands.sort(key=lambda r: (r["label"] != "fraction", abs((g["line"] or 0) - r["line"])))
        r = cands[0]
        r["matched"] = g
        if r["label"] == "fraction":
            tp += 1
            if r["stated_percent"] is not None:
                sp = g["stated_percent"]
                if sp is None:
                    pct_missing += 1
                elif abs(sp - r["stated_percent"]) < 0.006:
                    pct_ok += 1
                else:
                    pct_bad += 1
                if (sp is None or abs(sp - r["stated_percent"]) >= 0.006) and len(pct_examples) < args.show:
                    pct_examples.append(f"{f}:{r['line']} {r['raw']} truth {r['percent_raw']} ({r['percent_link']}) cchc {sp}")
            elif g["stated_percent"] is not None:
                pct_extra += 1
        elif r["label"] == "not_fraction":
            fp_not += 1
            if len(fp_examples) < args.show:
                fp_examples.append(f"{f}:{g['line']} {g['raw']!r} (not a fraction)")
        else:
            ign += 1

    total = 0
    missed = []
    by_link = collections.Counter()
    by_link_ok = collections.Counter()
    for f, rows in truth.items():
        for r in rows:
            if r["label"] != "fraction":
                continue
            total += 1
            per_tpl[r["template"]][1] += 1
            if r["matched"] is not None:
                per_tpl[r["template"]][0] += 1
                if r["stated_percent"] is not None:
                    by_link[r["percent_link"]] += 1
                    sp = r["matched"]["stated_percent"]
                    if sp is not None and abs(sp - r["stated_percent"]) < 0.006:
                        by_link_ok[r["percent_link"]] += 1
            elif len(missed) < args.show:
                missed.append(f"{f}:{r['line']} {r['raw']}")

    recall = tp / total if total else float("nan")
    prec = tp / (tp + fp_none + fp_not) if tp + fp_none + fp_not else float("nan")
    npct = pct_ok + pct_bad + pct_missing
    summary = {
        "files": len(truth), "truth_fractions": total, "matched": tp,
        "recall": recall, "precision": prec,
        "false_pos_unknown": fp_none, "false_pos_not_fraction": fp_not, "matched_ignored": ign,
        "stated_percent_total": npct, "stated_percent_ok": pct_ok, "stated_percent_wrong": pct_bad,
        "stated_percent_missing": pct_missing, "stated_percent_extra": pct_extra,
        "stated_percent_acc": pct_ok / npct if npct else float("nan"),
        "stated_percent_by_link": {k: f"{by_link_ok[k]}/{v}" for k, v in by_link.items()},
        "recall_by_template": {k: f"{m}/{t}" for k, (m, t) in sorted(per_tpl.items())},
    }
    print(f"fractions: recall {recall:.3f} ({tp}/{total}), precision {prec:.3f} "
          f"(false positives: {fp_none} unknown, {fp_not} not-a-fraction; {ign} ignored)")
    print(f"stated percent: {pct_ok}/{npct} right, {pct_bad} wrong, {pct_missing} missing, {pct_extra} extra; "
          f"by link {summary['stated_percent_by_link']}")
    print(f"recall by template: {summary['recall_by_template']}")
    for title, ex in (("missed", missed), ("false positives", fp_examples), ("percent mismatches", pct_examples)):
        if ex:
            print(f"  {title} (first {len(ex)}):")
            for e in ex:
                print("    " + e)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()

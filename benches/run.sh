#!/usr/bin/env bash
# cchc benchmarks (issue 8): throughput, peak RSS and accuracy, against peers,
# all measured in one run on the same machine. Writes benches/RESULTS.md.
#
#   benches/run.sh                      # full run: 100/1000/10000 texts, 200 PDFs
#   SIZES="100 1000" PDFS=60 benches/run.sh   # quicker
#
# Environment: BENCH_DIR (scratch, default /tmp/cchc-bench), SIZES, PDFS,
# PLUMBER_N (PDFs given to pdfplumber, default 12), STEP_TIMEOUT (s, default 600),
# CARGO_TARGET_DIR (default ~/.cache/cchc-target), KEEP=1 keeps the outputs,
# SKIP_BUILD=1 + CCHC=/path/to/cchc to time another binary.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BENCH="${BENCH_DIR:-/tmp/cchc-bench}"
SIZES="${SIZES:-100 1000 10000}"
PDFS="${PDFS:-200}"
PLUMBER_N="${PLUMBER_N:-12}"
STEP_TIMEOUT="${STEP_TIMEOUT:-600}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cchc-target}"
CCHC="${CCHC:-$CARGO_TARGET_DIR/release/cchc}"
PY="${PYTHON:-python3}"

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# ---- tools -----------------------------------------------------------------
need_apt() { # binary package
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $2"
    (apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$2" >/dev/null; })
}
[ -x /usr/bin/time ] || need_apt /usr/bin/time time
need_apt pdftotext poppler-utils
"$PY" -c 'import pyarrow' 2>/dev/null || "$PY" -m pip install -q pyarrow
"$PY" -c 'import pdfplumber' 2>/dev/null || "$PY" -m pip install -q pdfplumber

# ---- build -----------------------------------------------------------------
log "cargo build --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && cargo build --release -q)
mkdir -p "$BENCH"
RES="$BENCH/results.tsv"
printf 'label\ttool\tcorpus\tdocs\tbytes\tthreads\twall_s\tuser_s\tsys_s\trss_kb\tcpu_pct\texit\n' > "$RES"
{ echo "start: $(uptime)"; echo "nproc: $(nproc)"; echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"; } > "$BENCH/machine.txt"
(cd "$ROOT" && echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- src 2>/dev/null || echo ' (+ uncommitted src changes)')") >> "$BENCH/machine.txt"

# ---- corpora ---------------------------------------------------------------
for n in $SIZES; do
    log "corpus: $n text reports"
    t0=$(date +%s.%N)
    "$PY" "$HERE/make_corpus.py" --n "$n" --bad 0 --out "$BENCH/text$n" >&2
    echo "corpus text$n: $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s to generate" >> "$BENCH/machine.txt"
done
log "corpus: $PDFS PDFs + bad files"
"$PY" "$HERE/make_corpus.py" --n 0 --pdfs "$PDFS" --bad 1 --out "$BENCH/pdf$PDFS" >&2

size_of() { find "$1" -type f \( -name '*.txt' -o -name '*.pdf' \) -printf '%s\n' | awk '{s+=$1} END{print s+0}'; }
count_of() { find "$1" -type f \( -name '*.txt' -o -name '*.pdf' \) | wc -l; }

# measure LABEL TOOL CORPUS_DIR THREADS -- CMD...
measure() {
    local label=$1 tool=$2 dir=$3 thr=$4; shift 5
    local tf="$BENCH/time.$label" rc=0 t0 t1
    local docs bytes; docs=$(count_of "$dir"); bytes=$(size_of "$dir")
    sync; t0=$(date +%s.%N)
    timeout "$STEP_TIMEOUT" /usr/bin/time -v -o "$tf" "$@" > "$BENCH/log.$label" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    local wall user sys rss cpu
    wall=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
    user=$(awk -F': ' '/User time/{print $2}' "$tf" 2>/dev/null || echo 0)
    sys=$(awk -F': ' '/System time/{print $2}' "$tf" 2>/dev/null || echo 0)
    rss=$(awk -F': ' '/Maximum resident/{print $2}' "$tf" 2>/dev/null || echo 0)
    cpu=$(awk -F': ' '/Percent of CPU/{print $2}' "$tf" 2>/dev/null | tr -d '%' || echo 0)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$tool" "$(basename "$dir")" "$docs" "$bytes" "$thr" \
        "$wall" "${user:-0}" "${sys:-0}" "${rss:-0}" "${cpu:-0}" "$rc" >> "$RES"
    log "$label: ${wall}s rc=$rc rss=${rss}kB cpu=${cpu}%"
    [ "$rc" = 124 ] && log "$label: TIMEOUT after ${STEP_TIMEOUT}s" || true
}

# ---- cchc on text ------------------------------------------------------------
ACC_N=""
for n in $SIZES; do
    for j in 1 2; do
        out="$BENCH/out/text$n-j$j"; rm -rf "$out"
        measure "cchc-text$n-j$j" cchc "$BENCH/text$n" "$j" -- "$CCHC" extract "$BENCH/text$n/text" --out "$out" -j "$j" --quiet
    done
    [ "$n" -le 1000 ] && ACC_N=$n
    # keep the -j2 output of the accuracy corpus; drop the rest (10 000 outputs are big)
done
[ -n "$ACC_N" ] || ACC_N=$(echo $SIZES | awk '{print $1}')

# ---- accuracy ----------------------------------------------------------------
log "accuracy check on text$ACC_N"
"$PY" "$HERE/check_truth.py" "$BENCH/text$ACC_N" "$BENCH/out/text$ACC_N-j2" --json "$BENCH/accuracy.json" > "$BENCH/accuracy.txt" 2>&1 || true
cat "$BENCH/accuracy.txt" >&2

# ---- PDFs: cchc vs pdftotext -layout -------------------------------------------
# Alternated (cchc, pdftotext, cchc, pdftotext, …) so that both see the same
# load; PDF_ROUNDS rounds (default 2): round 1 has the plain labels, later
# rounds a "-rN" suffix; the report sums the rounds of each tool. cchc runs
# with --ocr off here: pdftotext reads text layers only, so the scanned
# copies of image_only.pdf are compared as the `needs_ocr` rows they were
# (OCR speed has its own bench: benches/ocr.sh).
P="$BENCH/pdf$PDFS/pdf"
PDF_ROUNDS="${PDF_ROUNDS:-2}"
for round in $(seq 1 "$PDF_ROUNDS"); do
    sfx=""; [ "$round" = 1 ] || sfx="-r$round"
    for j in 1 2; do
        out="$BENCH/out/pdf-j$j"; rm -rf "$out"
        measure "cchc-pdf-j$j$sfx" cchc "$P" "$j" -- "$CCHC" extract "$P" --out "$out" -j "$j" --quiet --ocr off
        measure "pdftotext-pdf-P$j$sfx" pdftotext "$P" "$j" -- sh -c \
            "find '$P' -name '*.pdf' -print0 | sort -z | xargs -0 -P$j -I{} pdftotext -layout -q {} /dev/null; true"
    done
done
# Pages of the PDF corpus (for pages/s), counted by pdfinfo.
find "$P" -name '*.pdf' -print0 | xargs -0 -I{} sh -c 'pdfinfo "{}" 2>/dev/null | awk "/^Pages:/{print \$2}"' \
    | awk '{s+=$1} END{print s+0}' > "$BENCH/pdf_pages.txt"
T="$BENCH/pdf$PDFS/pdf_tables"
find "$T" -name '*.pdf' -print0 | xargs -0 -I{} sh -c 'pdfinfo "{}" 2>/dev/null | awk "/^Pages:/{print \$2}"' \
    | awk '{s+=$1} END{print s+0}' > "$BENCH/table_pages.txt"

# ---- tables: cchc vs pdfplumber ---------------------------------------------------
T="$BENCH/pdf$PDFS/pdf_tables"
out="$BENCH/out/tables-j1"; rm -rf "$out"
measure "cchc-tables-j1" cchc "$T" 1 -- "$CCHC" extract "$T" --out "$out" -j 1 --quiet
mkdir -p "$BENCH/plumber"; rm -f "$BENCH/plumber"/*.pdf
find "$T" -name '*.pdf' | sort | head -n "$PLUMBER_N" | while read -r f; do ln -f "$f" "$BENCH/plumber/"; done
measure "pdfplumber-tables-P1" pdfplumber "$BENCH/plumber" 1 -- "$PY" "$HERE/pdfplumber_tables.py" $(find "$BENCH/plumber" -name '*.pdf' | sort)

# ---- bad files ---------------------------------------------------------------------
out="$BENCH/out/bad"; rm -rf "$out"
measure "cchc-bad-j2" cchc "$BENCH/pdf$PDFS/bad" 2 -- "$CCHC" extract "$BENCH/pdf$PDFS/bad" --out "$out" -j 2 --quiet

echo "end: $(uptime)" >> "$BENCH/machine.txt"

# ---- report ----------------------------------------------------------------------
# The reliability and fuzzing sections (written by hand from
# benches/reliability.sh and benches/fuzz.sh runs) are kept below the report.
kept="$(awk '/^## Reliability/{k=1} k' "$HERE/RESULTS.md" 2>/dev/null || true)"
{ "$PY" "$HERE/report.py" "$BENCH"; [ -z "$kept" ] || printf '\n%s\n' "$kept"; } > "$HERE/RESULTS.md.tmp"
mv "$HERE/RESULTS.md.tmp" "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
if [ "${KEEP:-0}" != 1 ]; then rm -rf "$BENCH/out" "$BENCH"/text*/text; fi

#!/usr/bin/env bash
# OCR bench (issue 16): seconds per page on one core at 200 dpi, and the
# 12-page scan of report 001 on 2 cores, with the release build.
#
#   bash benches/ocr.sh
#
# Needs tesseract + tesseract-ocr-vie, poppler-utils, python3 with Pillow and
# numpy (the scans are made by fixtures/scans/make_scans.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cchc-target}"
cargo build --release --locked -q
BIN="$CARGO_TARGET_DIR/release/cchc"
SCANS="$CARGO_TARGET_DIR/ocr-bench-scans"
if [ ! -f "$SCANS/001_scan.pdf" ]; then
    python3 fixtures/scans/make_scans.py "$SCANS" >/dev/null
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
pages=$(pdfinfo "$SCANS/001_scan.pdf" | awk '/^Pages:/ {print $2}')

run() { # threads label
    local start end
    start=$(date +%s.%N)
    CCHC_OCR_THREADS="$1" taskset -c "$2" "$BIN" extract "$SCANS/001_scan.pdf" -o "$OUT/$1" --quiet -j "$1" --file-timeout 600 >/dev/null || true
    end=$(date +%s.%N)
    python3 -c "print($end - $start)"
}

one=$(run 1 0)
two=$(run 2 0,1)
printf 'pages: %d (001_scan.pdf, 200 dpi grey JPEG, upscaled to 300 dpi)\n' "$pages"
printf 'one core:  %.1f s total, %.2f s/page (target <= 4 s/page)\n' "$one" "$(python3 -c "print($one / $pages)")"
printf 'two cores: %.1f s for the %d-page scan (target <= 30 s)\n' "$two" "$pages"
python3 - "$OUT/2" <<'PY' || true
import sys
try:
    import pyarrow.parquet as pq
except ImportError:
    sys.exit(0)
d = pq.read_table(sys.argv[1] + "/documents.parquet").to_pylist()[0]
print(f"status {d['status']}, text_source {d['text_source']}, ocr_confidence {d['ocr_confidence']}")
PY

#!/usr/bin/env bash
# Pathological text lines through the release binary: wall time and peak RSS
# (issue #13: a 5 MB line of "tỷ lệ 100% " and a 2 MB "1/1/1/…" in < 5 s;
# 1,000,000 figures in one file in < 30 s and < 1 GB). Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cchc-target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/cchc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
u = "tỷ lệ 100% "
open(f"{d}/rate_5mb.txt", "w").write(u * (5_000_000 // len(u.encode())))
open(f"{d}/slashes_2mb.txt", "w").write("1/" * 1_000_000 + "1")
open(f"{d}/one_million_figures.txt", "w").write(" ".join(["có 12 hồ sơ, đạt 50%"] * 500_000))
v = "Tổng số 843/847 hồ sơ đạt 99,52% trong Quý I/2025; "
open(f"{d}/fraction_line_2mb.txt", "w").write(v * (2_000_000 // len(v.encode())))
PY
printf '| input | bytes | wall s | peak RSS MB | status | figures |\n|---|---|---|---|---|---|\n'
for f in rate_5mb slashes_2mb one_million_figures fraction_line_2mb; do
  out="$dir/out_$f"
  /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" extract "$dir/$f.txt" --out "$out" --quiet --file-timeout 0 >/dev/null 2>&1 || true
  read -r secs kb < "$dir/time"
  row=$(python3 - "$out" <<'PY'
import sys, pyarrow.parquet as pq
d = sys.argv[1]
doc = pq.read_table(f"{d}/documents.parquet").to_pylist()[0]
n = pq.read_table(f"{d}/figures.parquet").num_rows
print(f"{doc['status']} | {n}")
PY
)
  printf '| %s | %s | %s | %s | %s |\n' "$f" "$(stat -c %s "$dir/$f.txt")" "$secs" "$((kb / 1024))" "$row"
done

#!/usr/bin/env bash
# Runs two cchc binaries on the same inputs and compares their outputs row
# for row (benches/same_output.py), one comparison per input set:
#   benches/same_output.sh OLD_BIN NEW_BIN [EXTRA_DIR...]
# Input sets: fixtures/text, fixtures/pdf, ../shared/realtexts/docs (when
# present), and any EXTRA_DIR (e.g. a corpus from benches/make_corpus.py).
set -euo pipefail
old=$1; new=$2; shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
sets=("$here/fixtures/text" "$here/fixtures/pdf")
[ -d "$here/../shared/realtexts/docs" ] && sets+=("$here/../shared/realtexts/docs")
sets+=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for s in "${sets[@]}"; do
  echo "== $s"
  "$old" extract --quiet -o "$work/a" "$s" >/dev/null 2>&1 || true
  "$new" extract --quiet -o "$work/b" "$s" >/dev/null 2>&1 || true
  python3 "$here/benches/same_output.py" "$work/a" "$work/b" || status=1
  rm -rf "$work/a" "$work/b"
done
exit $status

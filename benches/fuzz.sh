#!/bin/sh
# In-process mutation fuzzing (see README "Fuzzing"): runs each target of
# examples/fuzz.rs for a fixed time, one after the other (one core each).
# Usage: benches/fuzz.sh [TARGET...]   (default: figures sections claims docx pdf)
# Env: FUZZ_SECONDS (600 per target), SEED (13).
# Findings (crash-*, slow-*, hang-*, abort-*) go to fuzz/findings/<target>/;
# tests/fuzz_regressions.rs replays them.
set -u
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-600}
SEED=${SEED:-13}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
[ $# -gt 0 ] || set -- figures sections claims docx pdf
cargo build --release --example fuzz || exit 2
status=0
summaries=""
for t in "$@"; do
    rcfile=$(mktemp)
    { "$TARGET_DIR/release/examples/fuzz" "$t" --seconds "$SECONDS_EACH" --seed "$SEED"; echo $? > "$rcfile"; } | tee "$rcfile.out"
    rc=$(cat "$rcfile")
    summaries="$summaries
$(grep '^SUMMARY' "$rcfile.out")"
    rm -f "$rcfile" "$rcfile.out"
    cur="${TMPDIR:-/tmp}/cchc-fuzz-$t.cur"
    if [ "$rc" -gt 2 ] && [ -f "$cur" ]; then
        # Killed by a signal (abort, stack overflow, OOM): keep the input.
        mkdir -p "fuzz/findings/$t"
        name="fuzz/findings/$t/abort-$(sha256sum "$cur" | cut -c1-16).$( [ "$t" = docx ] && echo docx || { [ "$t" = pdf ] && echo pdf || echo txt; })"
        cp "$cur" "$name"
        echo "- \`$(basename "$name")\`: process ended with status $rc" >> "fuzz/findings/$t/LOG.md"
        echo "  aborted (status $rc): input saved to $name"
        summaries="$summaries
SUMMARY $t: aborted with status $rc"
    fi
    [ "$rc" -eq 0 ] || status=1
done
echo "$summaries"
exit $status

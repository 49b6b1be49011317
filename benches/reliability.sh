#!/bin/sh
# Mutation runs for hostile inputs (see README "Reliability runs").
# Usage: benches/reliability.sh [PDF_N] [DOCX_N] [TEXT_N]   (defaults 3000 1000 1000)
# Env: SEED (13), BATCH (250), TIMEOUT (per-file seconds, 10), WORK (temp dir).
set -eu
cd "$(dirname "$0")/.."
PDF_N=${1:-3000}
DOCX_N=${2:-1000}
TEXT_N=${3:-1000}
SEED=${SEED:-13}
BATCH=${BATCH:-250}
TIMEOUT=${TIMEOUT:-10}
WORK=${WORK:-$(mktemp -d)}
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release --bin cchc --example mutate
# A private copy: a shared target folder may be rebuilt by someone else meanwhile.
cp "$TARGET/release/cchc" "$WORK/cchc"
status=0
for spec in "pdf $PDF_N" "docx $DOCX_N" "text $TEXT_N"; do
    set -- $spec
    [ "$2" -gt 0 ] || continue
    "$TARGET/release/examples/mutate" --bin "$WORK/cchc" --kind "$1" --count "$2" \
        --seed "$SEED" --batch "$BATCH" --timeout "$TIMEOUT" --work "$WORK" || status=1
done
echo "work folder: $WORK"
exit $status

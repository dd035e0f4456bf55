#!/usr/bin/env bash
# tests/fuzz: every committed corpus input (seeds and inputs that once
# crashed) through each fuzz target's LLVMFuzzerTestOneInput, built with the
# normal compiler (under make check SAN=1 with ASan and UBSan).
. "$(dirname "$0")/tap.sh"
FUZZ=$TOP/tests/fuzz

for target in dissect capfile atcsv reasm mptcp record heatmat rttpairs retxrate seqjoin; do
	corpus=$FUZZ/corpus/$target
	want=$(find "$corpus" -maxdepth 1 -type f ! -name '.*' | wc -l)
	ok $([ "$want" -ge 4 ]; echo $?) "$target: corpus has seeds ($want files)"
	got=$("$TOOLS/replay-$target" "$corpus" 2>"$TMP/$target.err"); rc=$?
	is "$rc:$got" "0:$want" "$target: every corpus input runs to the end"
	[ "$rc" = 0 ] || tail -20 "$TMP/$target.err" | sed 's/^/# /'
done

# The regressions, one by one, so a failure names its input.
for f in "$FUZZ"/corpus/*/crash-*; do
	[ -e "$f" ] || continue
	target=$(basename "$(dirname "$f")")
	got=$("$TOOLS/replay-$target" "$f" 2>"$TMP/one.err"); rc=$?
	is "$rc:$got" "0:1" "$target: regression $(basename "$f")"
	[ "$rc" = 0 ] || tail -20 "$TMP/one.err" | sed 's/^/# /'
done

# The driver itself: a missing file is an error, not a silent pass.
"$TOOLS/replay-atcsv" "$TMP/none" >/dev/null 2>&1; rc=$?
is "$rc" 1 "replay: a missing input exits 1"
# The input reaches the library: the reader's own message for a ragged row.
"$TOOLS/replay-atcsv" "$FUZZ/corpus/atcsv/ragged" >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/err")" 'stdin:3: 1 fields, the header has 2' \
    "replay-atcsv: a ragged row gets lib/atcsv's message"
# The filter targets run the filter's own main on each input as its stdin:
# its messages, and a new stdin every time (not the last input's bytes
# still in stdio's buffer).
mkdir "$TMP/two"
printf 'x@y\n1@2\n' >"$TMP/two/a"
printf 'metric@a@b@mean\n' >"$TMP/two/b"
got=$("$TOOLS/replay-heatmat" "$TMP/two" 2>"$TMP/err"); rc=$?
is "$rc:$got:$(grep -v '^replay:' "$TMP/err" | tr '\n' '|')" \
    "0:2:replay-heatmat: stdin:1: missing columns: metric, a, b, mean|replay-heatmat: stdin:1: no rows: nothing to put in a matrix|" \
    "replay-heatmat: heatmat's own messages, each input read afresh"
done_testing

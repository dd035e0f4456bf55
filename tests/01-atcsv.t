#!/usr/bin/env bash
# lib/atcsv: the '@' stream reader (libcsv) and writer, through tests/tools/atcat.
. "$(dirname "$0")/tap.sh"
A=$TOOLS/atcat

out=$(printf 'a@b@c\n1@ two words @3\n@@\n' | "$A")
is "$out" $'a@b@c\n1@ two words @3\n@@' "plain rows pass through, spaces and empty fields kept"

out=$(printf 'a@b\n"x@y"@"say ""hi"""\n"multi\nline"@2\n' | "$A" b a)
is "$out" $'b@a\n"say ""hi"""@"x@y"\n2@"multi\nline"' "quoted fields read by name and re-quoted only where needed"

printf 'a@b\n1@2\n3\n' | "$A" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 1 "a ragged row exits 1"
is "$(cat "$TMP/err")" "atcat: stdin:3: 1 fields, the header has 2" "a ragged row names its line"

printf 'a@b\n1@2\n' | "$A" a zz yy >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:1: missing columns: zz, yy" "missing columns are all named"

"$A" </dev/null >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:1: empty input: no header line" "empty input is an error"

printf 'a@b\n"open@2\n' | "$A" >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" '^1:atcat: stdin:[0-9]+: ' "an unterminated quote is an error with a line"

out=$(printf 'a\r\nx\r\n' | "$A")
is "$out" $'a\nx' "CRLF line ends are accepted"
out=$(printf 'a@b\n\n1@2\n"q\n\nx"@3\n4@5\n\n' | "$A")
is "$out" $'a@b\n1@2\n"q\n\nx"@3\n4@5' "blank lines skipped; a quoted field spanning lines, then plain rows again"

out=$(printf 'a@b\n1@2\r3@4\n5@6' | "$A")
is "$out" $'a@b\n1@2\n3@4\n5@6' "a bare CR ends a row as libcsv does; a last line without newline counts"

printf 'a@b\n1@2\nx"y@3\n' | "$A" >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" '^1:atcat: stdin:3: ' "a quote inside an unquoted field is an error (libcsv strict)"
printf 'a@b\n' >"$TMP/in"
for i in $(seq 500); do printf '%d@"x@%d"\n' $i $i; done >>"$TMP/in"
"$A" <"$TMP/in" >"$TMP/plain"
ATCAT_BATCH=100 "$A" <"$TMP/in" >"$TMP/batched"; rc=$?
cmp -s "$TMP/plain" "$TMP/batched"
is "$rc:$?:$(wc -l <"$TMP/batched")" "0:0:501" "rows held in batches come out whole, the same, all of them"
done_testing

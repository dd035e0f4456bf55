#!/usr/bin/env bash
# lib/atcsv: the '@' stream reader (libcsv) and writer, through tests/tools/atcat.
. "$(dirname "$0")/tap.sh"
A=${ATCAT:-$TOOLS/atcat}	# the end runs it all again over small reads

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

printf 'a@b\n"open@2\n3@4\n' | "$A" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:2: a quoted field that begins here never ends" \
    "an unterminated quote names the line where the field began, not the last"
out=$(printf 'a@b\n1@2\r"open@x\n3@4\n5@6\n' | "$A" 2>"$TMP/err"); rc=$?
is "$rc:$out" $'1:a@b\n1@2' "a quote opened after a bare CR swallows the lines after it: no rows made of them"
is "$(cat "$TMP/err")" "atcat: stdin:2: a quoted field that begins here never ends" "and the error names the line where it began"
out=$(printf 'a@b\n1@2\n"open\r3@4\n5@6\n' | "$A" 2>"$TMP/err"); rc=$?
is "$rc:$out:$(cat "$TMP/err")" $'1:a@b\n1@2:atcat: stdin:3: a quoted field that begins here never ends' \
    "a bare CR inside an unclosed quote: the line where the quote began"
out=$(printf 'a@b\n"x\ry"@2\r3@4\n5@"6\n7"\r8@9\n10@11\n' | "$A" 2>&1); rc=$?
is "$rc:$out" $'0:a@b\n"x\ry"@2\n3@4\n5@"6\n7"\n8@9\n10@11' \
    "CRs inside closed quotes are data, bare CRs outside end rows, plain lines after them"
printf 'a@b\n"x\ry"@2\r3@4\n5\n' | "$A" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:3: 1 fields, the header has 2" "and rows after them keep their line numbers"

out=$(printf 'a\r\nx\r\n' | "$A")
is "$out" $'a\nx' "CRLF line ends are accepted"
out=$(printf 'a@b\n\n1@2\n"q\n\nx"@3\n4@5\n\n' | "$A")
is "$out" $'a@b\n1@2\n"q\n\nx"@3\n4@5' "blank lines skipped; a quoted field spanning lines, then plain rows again"

out=$(printf 'a@b\n1@2\r3@4\n5@6' | "$A")
is "$out" $'a@b\n1@2\n3@4\n5@6' "a bare CR ends a row as libcsv does; a last line without newline counts"

printf 'a@b\n1@2\nx"y@3\n' | "$A" >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" '^1:atcat: stdin:3: ' "a quote inside an unquoted field is an error (libcsv strict)"

# A missing column says what the input looks like when it is not '@' CSV
# with a header: a capture, compressed, tab- or comma-separated, no header.
"$TOOLS/capwrite" -t 1700000000 -n 2 "$TMP/x.pcap"
"$A" a <"$TMP/x.pcap" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:1: a NUL byte in the line; this looks like a pcap capture, not '@' CSV: convert it with pcap2csv first" \
    "a pcap: says it looks like one"
perl -e 'print pack("VVVvvq<V", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28)' >"$TMP/x.pcapng"
"$A" a -- "$TMP/x.pcapng" >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" "^1:atcat: $TMP/x.pcapng:[0-9]+: .*; this looks like a pcapng capture, not '@' CSV" \
    "a pcapng: says it looks like one"
gzip -c "$TMP/x.pcap" >"$TMP/x.gz"
"$A" a -- "$TMP/x.gz" >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" "^1:atcat: $TMP/x.gz:1: .*; this looks gzip-compressed" "gzip: says so"
printf 'a\tb\n1\t2\n' | "$A" a b >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:1: missing columns: a, b; the first line is tab-separated: the fields of the stream are separated by '@' (as tshark -E separator=@ writes them)" \
    "tab-separated: says so"
printf 'a,b\n1,2\n' | "$A" a >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" "^1:atcat: stdin:1: missing column: a; the first line is comma-separated" "comma-separated: says so"
for line in '1@Nov 14, 2023 10:00:00.000000000 UTC@198.18.0.1@198.18.0.2@TCP@66@@' \
    '3271@0@1700000900100@1700000900.130000000@30.000' '::1@0x0012@@x'; do
	printf '%s\n' "$line" | "$A" frame.number >/dev/null 2>"$TMP/err"; rc=$?
	like "$rc:$(cat "$TMP/err")" "^1:atcat: stdin:1: missing column: frame.number; the first line looks like data, not a header line of column names" \
	    "no header ($line): says the first line looks like data"
done
for line in 'frame.number@frame.time' 'seq@born@3271.time@3271.rtt' 'a@b@@c'; do
	printf '%s\n' "$line" | "$A" zz >/dev/null 2>"$TMP/err"; rc=$?
	is "$rc:$(cat "$TMP/err")" "1:atcat: stdin:1: missing column: zz" "a header ($line): no hint"
done
printf 'a@b\n1@2\n' >"$TMP/f1"; printf '1\t2\n3\t4\n' >"$TMP/f2"
"$A" a b -- "$TMP/f1" "$TMP/f2" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:atcat: $TMP/f2:1: missing columns of $TMP/f1: a, b; the first line is tab-separated: the fields of the stream are separated by '@' (as tshark -E separator=@ writes them)" \
    "a later file's header: the same hints"
"$A" a -- "$TMP/f1" "$TMP/x.pcap" >/dev/null 2>"$TMP/err"; rc=$?
like "$rc:$(cat "$TMP/err")" "^1:atcat: $TMP/x.pcap:1: a NUL byte in the line; this looks like a pcap capture" \
    "a capture as a later file: named, with the hint"

printf 'a@b\n' >"$TMP/in"
for i in $(seq 500); do printf '%d@"x@%d"\n' $i $i; done >>"$TMP/in"
"$A" <"$TMP/in" >"$TMP/plain"
ATCAT_BATCH=100 "$A" <"$TMP/in" >"$TMP/batched"; rc=$?
cmp -s "$TMP/plain" "$TMP/batched"
is "$rc:$?:$(wc -l <"$TMP/batched")" "0:0:501" "rows held in batches come out whole, the same, all of them"

# The reader with 64-byte blocks and without AVX2 (atcat-smallread, named
# atcat for its messages): lines across block ends and longer than blocks,
# the SSE2 scan; every case above again, and a long mixed input that must
# read the same as with the real blocks.
if [ -z "${ATCAT:-}" ]; then
	mkdir "$TMP/small"
	ln -s "$(cd "$TOOLS" && pwd)/atcat-smallread" "$TMP/small/atcat"
	out=$(ATCAT="$TMP/small/atcat" bash "$0" 2>&1); rc=$?
	is "$rc:$(printf '%s\n' "$out" | grep -c '^not ok')" "0:0" \
	    "every case above again with 64-byte read blocks and the SSE2 scan"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | grep -A4 '^not ok' >&2
	{
		printf 'a@b@c\n'
		for i in $(seq 300); do
			printf '%d@%0*d@x\n' "$i" $((i * 7 % 900)) 0
			[ $((i % 7)) = 0 ] && printf '"q@%d"@"two\nlines"@y\r\n' "$i"
			[ $((i % 11)) = 0 ] && printf '\n%d@@\r\n' "$i"
		done
		printf 'end@no@newline'
	} >"$TMP/mixed"
	# every input line but the blank ones is a line out (with its CR gone)
	want=$(grep -vc '^\r\{0,1\}$' "$TMP/mixed")
	for how in pipe file; do
		if [ $how = pipe ]; then
			"$A" <"$TMP/mixed" >"$TMP/big.out" 2>&1; r1=$?
			"$TMP/small/atcat" <"$TMP/mixed" >"$TMP/small.out" 2>&1; r2=$?
		else	# the second file's header is not a row
			want=$((2 * want - 1))
			"$A" -- "$TMP/mixed" "$TMP/mixed" >"$TMP/big.out" 2>&1; r1=$?
			"$TMP/small/atcat" -- "$TMP/mixed" "$TMP/mixed" >"$TMP/small.out" 2>&1; r2=$?
		fi
		cmp -s "$TMP/big.out" "$TMP/small.out"
		is "$r1:$r2:$?:$(wc -l <"$TMP/big.out")" "0:0:0:$want" \
		    "a long mixed input ($how) reads the same in 64-byte blocks as in 256 kB ones"
	done
fi
done_testing

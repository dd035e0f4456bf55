#!/usr/bin/env bash
# The CSV filters (seqjoin, retxrate, rttpairs, heatmat) take file operands
# as cut(1) and sort(1) do: several files read as one stream (each with its
# header line; a later file's columns may come in another order), "-" for
# standard input, every file opened before anything is read, and every
# error naming its file and line ("prog: file:line: what", "stdin" for
# standard input).  Inputs: examples/demo.pcap through the pipeline.
# A wrong input's missing-column error says what the input looks like.
. "$(dirname "$0")/tap.sh"
cap=$TOP/examples/demo.pcap
[ -f "$cap" ] || skip_all "examples/demo.pcap is missing"

"$BIN/pcap2csv" "$cap" >"$TMP/rows.csv" 2>/dev/null
"$BIN/seqjoin" <"$TMP/rows.csv" >"$TMP/joined.csv" 2>/dev/null
"$BIN/rttpairs" <"$TMP/joined.csv" >"$TMP/pairs.csv" 2>/dev/null
for f in rows joined pairs; do
	ok "$([ "$(wc -l <"$TMP/$f.csv")" -ge 4 ]; echo $?)" "$f.csv: an input of $(wc -l <"$TMP/$f.csv") lines"
done

# split IN A B: A the header and the first half of IN's rows, B the header
# and the rest
split_in() {
	local n
	n=$(( ($(wc -l <"$1") - 1) / 2 + 1 ))
	head -n "$n" "$1" >"$2"
	{ head -n 1 "$1"; tail -n +"$((n + 1))" "$1"; } >"$3"
}
# col IN NAME: the number (1-based) of IN's column NAME
col() {
	head -n 1 "$1" | tr '@' '\n' | grep -n -x -F -- "$2" | cut -d: -f1
}
# bad_field IN COLUMN VALUE OUT: IN with COLUMN of its second row (line 3)
# set to VALUE
bad_field() {
	awk -F@ -v OFS=@ -v c="$(col "$1" "$2")" -v v="$3" 'NR == 3 { $c = v } { print }' "$1" >"$4"
}

# filter INPUT COLUMN-THAT-IS-READ ARGS...
for spec in "seqjoin rows frame.time_epoch" "retxrate rows tcp.len" \
    "rttpairs joined 3271.rtt" "heatmat pairs mean"; do
	set -- $spec
	p=$1 in=$TMP/$2.csv column=$3
	shift 3
	P=("$BIN/$p" "$@")
	d=$TMP/$p; mkdir -p "$d"
	split_in "$in" "$d/a" "$d/b"

	"${P[@]}" "$in" >"$d/whole.out" 2>"$d/whole.err"; rc=$?
	ok "$([ "$rc" = 0 ] && [ -s "$d/whole.out" ]; echo $?)" "$p FILE: exit $rc, $(wc -l <"$d/whole.out") lines"
	"${P[@]}" <"$in" >"$d/stdin.out" 2>&1
	cmp -s "$d/whole.out" "$d/stdin.out"
	ok $? "$p FILE: the same answer as $p < FILE"
	"${P[@]}" "$d/a" "$d/b" >"$d/two.out" 2>"$d/two.err"; rc=$?
	is "$rc:$(diff "$d/whole.out" "$d/two.out" | head -5)" "0:" \
	    "$p A B: the same answer as their concatenation (without B's header)"
	"${P[@]}" "$d/a" - <"$d/b" >"$d/dash.out" 2>&1; rc=$?
	is "$rc:$(diff "$d/whole.out" "$d/dash.out" | head -5)" "0:" "$p A - < B: - is standard input"
	: >"$d/empty"
	"${P[@]}" "$in" "$d/empty" >"$d/empty.out" 2>&1; rc=$?
	is "$rc:$(diff "$d/whole.out" "$d/empty.out" | head -5)" "0:" "$p FILE EMPTY: an empty file adds nothing"
	# B with its columns in reverse order
	awk -F@ -v OFS=@ '{ for (i = NF; i > 1; i--) printf "%s@", $i; print $1 }' "$d/b" >"$d/b.rev"
	"${P[@]}" "$d/a" "$d/b.rev" >"$d/rev.out" 2>&1; rc=$?
	is "$rc:$(diff "$d/whole.out" "$d/rev.out" | head -5)" "0:" "$p A B: B's columns may come in another order"

	# A missing file, even the last, fails before any output.
	"${P[@]}" "$d/a" "$d/b" "$d/nonexistent" >"$d/out" 2>"$d/err"; rc=$?
	is "$rc:$(cat "$d/out"):$(cat "$d/err")" "1::$p: $d/nonexistent: No such file or directory" \
	    "$p A B MISSING: the missing file named, exit 1, no output"
	# Errors in the second file name it and the line.
	awk -F@ -v OFS=@ 'NR == 3 { NF = NF - 1 } { print }' "$d/b" >"$d/b.ragged"
	"${P[@]}" "$d/a" "$d/b.ragged" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: $d/b\\.ragged:3: [0-9]+ fields, the header has [0-9]+\$" \
	    "$p A B: a short row in B is named by B's name and line"
	"${P[@]}" "$d/a" - <"$d/b.ragged" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: stdin:3: " "$p A - < B: standard input is named stdin"
	bad_field "$d/b" "$column" x1 "$d/b.bad"
	"${P[@]}" "$d/a" "$d/b.bad" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: $d/b\\.bad:3: .*$column.*x1" \
	    "$p A B: a bad $column in B is named by B's name and line"
	cut -d@ -f"$(col "$d/b" "$column")" --complement "$d/b" >"$d/b.cut"
	"${P[@]}" "$d/a" "$d/b.cut" >/dev/null 2>"$d/err"; rc=$?
	is "$rc:$(cat "$d/err")" "1:$p: $d/b.cut:1: missing column of $d/a: $column" \
	    "$p A B: B without a column of A: named, with the column"

	# What a wrong input looks like, when a column is missing.
	"${P[@]}" "$cap" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: $cap:[0-9]+: .*this looks like a pcap capture" "$p CAPTURE: says it looks like a pcap"
	gzip -c "$in" >"$d/in.gz"
	"${P[@]}" "$d/in.gz" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: $d/in\\.gz:[0-9]+: .*this looks gzip-compressed" "$p FILE.gz: says it looks compressed"
	tr '@' '\t' <"$in" >"$d/in.tsv"
	"${P[@]}" "$d/in.tsv" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: $d/in\\.tsv:1: .*; the first line is tab-separated" "$p FILE.tsv: says it is tab-separated"
	tail -n +2 "$in" >"$d/in.noheader"
	"${P[@]}" "$d/in.noheader" >/dev/null 2>"$d/err"; rc=$?
	like "$rc:$(cat "$d/err")" "^1:$p: $d/in\\.noheader:1: .*; the first line looks like data, not a header line" \
	    "$p FILE without its header: says the first line looks like data"
done
done_testing

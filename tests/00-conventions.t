#!/usr/bin/env bash
# Every program answers --help and --version, refuses a bad option with exit
# 2, and has a man page that mandoc -Tlint finds clean.
. "$(dirname "$0")/tap.sh"

for m in "$TOP"/man/*.7; do
	out=$(mandoc -Tlint -Wwarning "$m" 2>&1); rc=$?
	is "$rc:$out" "0:" "man/${m##*/} is mandoc -Tlint clean"
done
progs=$(cd "$TOP/filters" 2>/dev/null && ls *.c 2>/dev/null | sed 's/\.c$//')
for p in $progs; do
	out=$("$BIN/$p" --help 2>&1); rc=$?
	is "$rc" 0 "$p --help exits 0"
	like "$out" "^usage: $p" "$p --help prints usage"
	out=$("$BIN/$p" --version 2>&1); rc=$?
	is "$rc" 0 "$p --version exits 0"
	like "$out" "^$p \(mptk\) [0-9]" "$p --version prints the version"
	"$BIN/$p" --no-such-option </dev/null >"$TMP/out" 2>"$TMP/err"; rc=$?
	is "$rc" 2 "$p rejects an unknown option with exit 2"
	like "$(cat "$TMP/err")" "usage: $p" "$p prints usage on a bad option"
	if [ -f "$TOP/man/$p.1" ]; then
		out=$(mandoc -Tlint -Wwarning "$TOP/man/$p.1" 2>&1); rc=$?
		is "$rc:$out" "0:" "man/$p.1 is mandoc -Tlint clean"
	else
		ok 1 "man/$p.1 exists"
	fi
	grep -q "$p" "$TOP/README.md"
	ok $? "README mentions $p"
done
done_testing

#!/usr/bin/env bash
# Every program answers -h, --help and --version, refuses a bad option with
# exit 2, and has a man page that mandoc -Tlint finds clean.  -h and --help
# print the synopsis and a line for every option of the man page's OPTIONS
# list (its .It Fl entries), each also in the synopsis.
. "$(dirname "$0")/tap.sh"

for m in "$TOP"/man/*.7; do
	out=$(mandoc -Tlint -Wwarning "$m" 2>&1); rc=$?
	is "$rc:$out" "0:" "man/${m##*/} is mandoc -Tlint clean"
done
progs=$(cd "$TOP/filters" 2>/dev/null && ls | sed 's/\.c$//')	# seqjoin is a folder
for p in $progs; do
	out=$("$BIN/$p" --help 2>&1); rc=$?
	is "$rc" 0 "$p --help exits 0"
	like "$out" "^usage: $p" "$p --help prints usage"
	short=$("$BIN/$p" -h 2>&1); rc=$?
	is "$rc:$short" "0:$out" "$p -h prints the same as --help"
	# the synopsis: "usage:" and its continuation lines; then the options
	synopsis=$(printf '%s\n' "$out" | awk 'NR == 1 || (go && /^\t/) { print; go = 1; next } { exit }')
	optlines=$(printf '%s\n' "$out" | grep -E '^ +-')
	if [ -f "$TOP/man/$p.1" ]; then
		flags=$(sed -n 's/^\.It Fl //p' "$TOP/man/$p.1" | awk '{
		    f = $1; if (f == "Fl") f = "-" $2; gsub(/\\/, "", f); print "-" f }')
		n=0 nohelp= nosyn=
		for f in $flags; do
			n=$((n + 1))
			printf '%s\n' "$optlines" | grep -q -E -- "^ +$f( |,|\$)" || nohelp="$nohelp $f"
			case $f in
			--*) printf '%s\n' "$synopsis" | grep -q -E -- "[[ ]$f( |]|\$)" ;;
			*) printf '%s\n' "$synopsis" | grep -q -E -- "[[ ]-[A-Za-z0-9]*${f#-}" ;;
			esac || nosyn="$nosyn $f"
		done
		ok "$([ "$n" -gt 0 ]; echo $?)" "man/$p.1 lists options ($n)"
		is "$nohelp" "" "$p --help has a line for each option of man/$p.1"
		is "$nosyn" "" "$p --help's synopsis names each option of man/$p.1"
	fi
	like "$optlines" "^  -h, --help" "$p --help lists -h, --help"
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

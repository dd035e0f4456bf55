#!/usr/bin/env bash
# The examples of the man pages (their EXAMPLES sections, and commands
# shown elsewhere in them) and of README.md run, and print what the pages
# show; those of examples/README.md need root and a lab, and are checked
# for their options.
#
# The convention, the same in every page (see the comment in man/rttpairs.1):
# - a man page's examples are in `.Bd -literal` ... `.Ed` blocks and `.Dl`
#   lines; a markdown file's are its indented code blocks;
# - a line starting with `$ ` is a command run as a user, one starting with
#   `# `, `server# ` or `client# ` one that needs root or a live peer; a
#   command ending in a backslash or a pipe goes on at the next line;
# - the lines after a command, up to the next command or the block's end,
#   are what it prints (none: it prints nothing the page shows); a line
#   ending in `...` stands for any line that starts with what precedes the
#   dots, a line that is only `...` for whatever more it prints;
# - lines of a block without a command are an illustration, not checked.
#
# Each page's `$ ` commands run in order in a directory of their own that
# holds examples/demo.pcap (and share/ and tests/ of the source tree), with
# bin/ on PATH and TZ=UTC; each must exit 0 and print what the page shows.
# A command that names a lab capture runs on ../shared/captures/lab when it
# is there.  The others are checked for being well-formed instead of run:
# those of udsend and udrecv (root, a network, a peer), `#` commands, and
# those reading a file that only a live run makes: for each mptk program of
# their pipeline, each option word must be one its --help lists; the test
# says which it did not run and why.
. "$(dirname "$0")/tap.sh"
[ -f "$TOP/examples/demo.pcap" ] || skip_all "no examples/demo.pcap"
export PATH="$BIN:$PATH" TZ=UTC
progs=" $(ls "$BIN" | tr "\n" " ")"

# man_examples PAGE: the literal blocks of a man page (its EXAMPLES, and
# commands shown elsewhere, as mptk(7)'s), as text (mdoc escapes undone),
# a line `=` between blocks
man_examples() {
	awk '
	/^\.Bd -literal/ { lit = 1; next }
	/^\.Ed/ { if (lit) print "="; lit = 0; next }
	lit { print; next }
	/^\.Dl / { sub(/^\.Dl /, ""); print; print "="; next }
	' "$1" | sed -e 's/\\e/\\/g' -e 's/\\&//g' -e 's/\\-/-/g' \
	    -e "s/\\\\(aq/'/g"
}

# readme_examples FILE: the indented code blocks of a markdown file
readme_examples() {
	awk '
	/^    / { sub(/^    /, ""); print; inb = 1; next }
	/^$/ && inb { next }
	{ if (inb) print "="; inb = 0 }
	END { if (inb) print "=" }
	' "$1"
}

# split_examples: examples on stdin to records, one per command, in
# $TMP/ex.N.{cmd,want,kind} (kind: run or root); prints the count
split_examples() {
	rm -f "$TMP"/ex.*
	awk -v dir="$TMP" '
	function flush() { if (n) close(dir "/ex." n ".want") }
	/^=$/ { cur = 0; next }
	/^(\$|#|server#|client#) / {
		flush(); n++; cur = n
		kind = ($1 == "$") ? "run" : "root"
		sub(/^[^ ]+ /, "")
		cmd = $0
		while (cmd ~ /(\\|\|)$/ && (getline line) > 0)
			cmd = cmd "\n" line
		print cmd > (dir "/ex." n ".cmd"); close(dir "/ex." n ".cmd")
		print kind > (dir "/ex." n ".kind"); close(dir "/ex." n ".kind")
		printf "" > (dir "/ex." n ".want")
		next
	}
	cur { print > (dir "/ex." cur ".want") }
	END { flush(); print n + 0 }
	'
}

# matches WANT GOT: the printed lines (GOT) are what the page shows (WANT)
matches() {
	awk -v gotf="$2" '
	BEGIN { while ((getline l < gotf) > 0) got[++ng] = l }
	{ want[++nw] = $0 }
	END {
		if (nw == 0) exit 0	# the page shows none of its output
		for (i = 1; i <= nw; i++) {
			if (want[i] == "...") exit 0
			if (i > ng) exit 1
			w = want[i]
			if (w ~ /\.\.\.$/) {
				w = substr(w, 1, length(w) - 3)
				if (substr(got[i], 1, length(w)) != w) exit 1
			} else if (got[i] != w) exit 1
		}
		exit ng == nw ? 0 : 1
	}' "$1"
}

# why_not_run CMD KIND DIR: why CMD is checked instead of run (nothing: run)
why_not_run() {
	local w
	[ "$2" = root ] && { echo "needs root or a peer"; return; }
	case " $1 " in
	*[\ \|]udsend\ * | *[\ \|]udrecv\ *)
		echo "a live run of udsend/udrecv"; return ;;
	esac
	case $1 in gnuplot*)
		command -v gnuplot >/dev/null 2>&1 ||
			{ echo "gnuplot is not installed"; return; } ;;
	esac
	for w in $1; do
		w=${w//[\"\';]/}
		w=${w#in=}
		case $w in
		\>* | *=* | *\** | *\$*) ;;
		*.pcap | *.pcapng | *.pcap.gz | *.csv | *.cdf | *.mat)
			grep -qxF -- "$w" "$TMP/live.files" &&
				{ echo "reads $w, which only a live run makes"; return; }
			[ -e "$3/$w" ] && continue
			if [ -f "$CAPS/lab/$w" ]; then
				ln -s "$CAPS/lab/$w" "$3/$w"
			elif [[ $w == 3[0-9][0-9][0-9]20* ]]; then
				echo "needs the lab capture $w"; return
			elif ! grep -q -- "> *$w" "$TMP/page.cmds"; then
				echo "reads $w, which only a live run makes"; return
			fi ;;
		esac
	done
}

# well_formed CMD: every option word of each mptk program of CMD's pipeline
# (up to a redirection) is one its --help lists; prints what is not
well_formed() {
	local stage words w p o c known n=0 f
	local IFS='|'
	for stage in $1; do
		IFS=$' \t\n'
		stage=${stage//\\$'\n'/ }
		read -ra words <<<"${stage//$'\n'/ }"
		while [[ ${words[0]:-} == *=* ]]; do words=("${words[@]:1}"); done
		p=${words[0]:-}
		case "$progs " in *" $p "*) ;; *) IFS='|'; continue ;; esac
		local args=()
		for w in "${words[@]:1}"; do
			case $w in \>* | \<* | 2\>* | \#*) break ;; esac
			args+=("$w")
		done
		n=$((n + 1))
		# (--help after them is no check: the programs look for it first)
		known=" $("$BIN/$p" --help 2>&1 | grep -E '^ +-' |
		    grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' |
		    tr '\n' ' ')"
		for w in "${args[@]}"; do
			case $w in
			--[a-z]*) f=("$w") ;;
			-[A-Za-z]*) f=(); for ((c = 1; c < ${#w}; c++)); do
				f+=("-${w:c:1}"); done ;;
			*) continue ;;
			esac
			for o in "${f[@]}"; do
				case "$known" in *" $o "*) ;;
				*) echo "$p: $o is not an option of $p --help" ;; esac
			done
		done
		IFS='|'
	done
	[ "$n" -gt 0 ] || echo "-"	# no mptk program in it
}

# check_page NAME: runs or checks the examples split into $TMP/ex.*
check_page() {
	local name=$1 count=$2 i cmd kind why bad dir=$TMP/run.${1//\//-} ran=0 checked=0
	rm -rf "$dir" && mkdir -p "$dir/examples" || return 1
	cp "$TOP/examples/demo.pcap" "$dir/examples/demo.pcap"
	# older than mvgroup's --settle, as a capture copied in would be
	touch -d '1 hour ago' "$dir/examples/demo.pcap"
	ln -s "$TOP/share" "$dir/share"
	ln -s "$TOP/tests" "$dir/tests"
	cat "$TMP"/ex.*.cmd >"$TMP/page.cmds" 2>/dev/null
	: >"$TMP/live.files"
	for i in $(seq 1 "$count"); do
		cmd=$(cat "$TMP/ex.$i.cmd")
		kind=$(cat "$TMP/ex.$i.kind")
		why=$(why_not_run "$cmd" "$kind" "$dir")
		if [ -n "$why" ]; then
			# what it would have written is not there for later commands
			printf '%s\n' "$cmd" | grep -o '> *[^ ]*' |
			    sed 's/^> *//' >>"$TMP/live.files"
			bad=$(well_formed "$cmd")
			if [ "$bad" = - ]; then
				skip "$name: no mptk program, not run ($why): ${cmd%%$'\n'*}"
				continue
			fi
			is "$bad" "" "$name: well-formed (not run: $why): ${cmd%%$'\n'*}"
			note "$name: not run ($why): $cmd"
			checked=$((checked + 1))
			continue
		fi
		(cd "$dir" && bash -c "$cmd") >"$TMP/got" 2>"$TMP/err"
		rc=$?
		ran=$((ran + 1))
		if [ "$rc" -ne 0 ]; then
			ok "$rc" "$name: runs: ${cmd%%$'\n'*}"
			diag "stderr:" "$(head -20 "$TMP/err")"
			continue
		fi
		if matches "$TMP/ex.$i.want" "$TMP/got"; then
			ok 0 "$name: prints what the page shows ($(wc -l <"$TMP/ex.$i.want") lines): ${cmd%%$'\n'*}"
		else
			ok 1 "$name: prints what the page shows: ${cmd%%$'\n'*}"
			diag "diff (the page, then what it printed):"
			diff -u --label page --label printed "$TMP/ex.$i.want" \
			    "$TMP/got" | head -60 | while IFS= read -r l; do
				diag "$l"; done
			[ -s "$TMP/err" ] && diag "stderr:" "$(head -10 "$TMP/err")"
		fi
	done
	note "$name: $ran commands run, $checked checked for options only"
	ok "$([ $((ran + checked)) -gt 0 ]; echo $?)" "$name has examples ($count)"
}

for m in "$TOP"/man/*.[17]; do
	grep -q '^\.Sh EXAMPLES' "$m" || [ "${m##*.}" = 7 ] ||
		{ ok 1 "${m##*/} has an EXAMPLES section"; continue; }
	n=$(man_examples "$m" | split_examples)
	check_page "${m##*/}" "$n"
done
for r in README.md examples/README.md; do
	n=$(readme_examples "$TOP/$r" | split_examples)
	check_page "$r" "$n"
done
done_testing

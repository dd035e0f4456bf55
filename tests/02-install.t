#!/usr/bin/env bash
# make install puts every program, man page, share/ file and the batch
# examples under DESTDIR/PREFIX, and the installed programs run.
. "$(dirname "$0")/tap.sh"

dest=$TMP/root
make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/opt/mptk SAN="${MPTK_SAN:-}" \
	>"$TMP/out" 2>&1
ok $? "make install DESTDIR=... PREFIX=/opt/mptk"
for f in "$TOP"/filters/*.c; do
	p=$(basename "$f" .c)
	[ -x "$dest/opt/mptk/bin/$p" ]
	ok $? "bin/$p installed"
	[ -f "$dest/opt/mptk/share/man/man1/$p.1" ]
	ok $? "man1/$p.1 installed"
done
[ -f "$dest/opt/mptk/share/man/man7/mptk.7" ]
ok $? "man7/mptk.7 installed"
for f in "$TOP"/share/*; do
	cmp -s "$f" "$dest/opt/mptk/share/mptk/${f##*/}"
	ok $? "share/${f##*/} installed unchanged"
done
ex=$dest/opt/mptk/share/mptk/examples
for f in Makefile summary.awk crontab README.md; do
	[ -f "$ex/$f" ]
	ok $? "examples/$f installed"
done
cmp -s "$TOP/examples/summary.awk" "$ex/summary.awk"
ok $? "examples/summary.awk installed unchanged"
is "$(grep -E '^(BIN|SHARE) ' "$ex/Makefile")" 'BIN      ?= $(HERE)../../../bin
SHARE    ?= $(HERE)..' "the installed Makefile finds the installed programs and scripts, relative to itself"
is "$(grep '^MPTK=' "$ex/crontab")" "MPTK=/opt/mptk" "the installed crontab's MPTK is the PREFIX"
is "$(diff <(grep -v '^MPTK=' "$TOP/examples/crontab") <(grep -v '^MPTK=' "$ex/crontab"))" "" "and the rest of it is the crontab"
# The installed Makefile with no BIN or SHARE given finds what it needs.
is "$(make -s -f "$ex/Makefile" DATA=/nonexistent --eval 'where: ; @echo $(abspath $(BIN)) $(abspath $(SHARE))' where)" \
    "$dest/opt/mptk/bin $dest/opt/mptk/share/mptk" "BIN and SHARE resolve to the installed folders"
out=$("$dest/opt/mptk/bin/rttpairs" --version 2>&1)
like "$out" '^rttpairs \(mptk\) ' "an installed program runs"
done_testing

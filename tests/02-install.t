#!/usr/bin/env bash
# make install puts every program, man page and share/ file under
# DESTDIR/PREFIX, and the installed programs run.
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
out=$("$dest/opt/mptk/bin/rttpairs" --version 2>&1)
like "$out" '^rttpairs \(mptk\) ' "an installed program runs"
done_testing

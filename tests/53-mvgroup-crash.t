#!/usr/bin/env bash
# mvgroup killed with SIGKILL at random instants while moving 1,000 files
# across file systems (the copy path), then rerun: 20 rounds.  After each
# round every file is present exactly once, with its original bytes, in the
# batch an uninterrupted run chose, and no temporary copy is left.
. "$(dirname "$0")/tap.sh"
MV=$BIN/mvgroup
export TZ=UTC
NFILES=1000 ROUNDS=20

# Two tmpfs mounts when root (copying 1,000 files to a disk is slow);
# else /dev/shm and $TMP; else one file system (the rename path).
if [ "$(id -u)" -eq 0 ] && mkdir -p "$TMP/a" "$TMP/b" &&
    mount -t tmpfs -o size=128m mptk-test "$TMP/a" 2>/dev/null; then
	trap 'umount "$TMP/a"; umount "$TMP/b" 2>/dev/null; rm -rf "$TMP"' EXIT
	mount -t tmpfs -o size=128m mptk-test "$TMP/b" || exit 1
	HERE=$TMP/a OTHER=$TMP/b
elif [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$TMP")" ]; then
	HERE=$TMP OTHER=$(mktemp -d /dev/shm/mptk-test.XXXXXX)
	trap 'rm -rf "$OTHER" "$TMP"' EXIT
else
	HERE=$TMP OTHER=$TMP/same
	diag "no second file system: testing moves within one"
fi
POOL=$HERE/pool SRC=$HERE/src D=$OTHER/dest
mkdir -p "$POOL" "$D"

# 1,000 files of 1-32 KiB of (seeded) random bytes, named by start times
# 7 s apart (a batch every 5 files), written by one perl process.
perl -e '
srand(5);
for my $i (0 .. $ARGV[1] - 1) {
	my $t = 1700000000 + 7 * $i;
	my @g = gmtime($t);
	my $name = sprintf("%s/f%04d-%d-%d-%d-%d-%d-%d.bin", $ARGV[0], $i,
	    $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1], $g[0]);
	my $buf = pack("L*", map { int(rand(4294967296)) }
	    1 .. 256 + int(rand(31 * 256)));
	open(my $f, ">", $name) or die; print $f $buf; close($f) or die;
}' "$POOL" "$NFILES"
touch -d '-2 hours' "$POOL"/*
(cd "$POOL" && sha256sum -- * | sort -k2) >"$TMP/pool.sums"

# sums: "hash  batch/name" for every file under DEST, sorted by name
sums() {
	(cd "$D" && find . -type f ! -name .mvgroup.lock -printf '%P\n' |
	    sort | xargs -r sha256sum --)
}
# placed: the pool's sums as placed in batches (from the reference run)
fresh() {
	rm -rf "$SRC" "$D"; mkdir -p "$D"
	cp -a "$POOL" "$SRC"
}

fresh
t0=$(date +%s%N)
find "$SRC" -type f | "$MV" "$D" >"$TMP/ref.out" 2>"$TMP/err"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$rc:$(cat "$TMP/err")" "0:" "an uninterrupted run moves $NFILES files ($ms ms)"
sums >"$TMP/ref.sums"
is "$(sed 's|  .*/|  |' "$TMP/ref.sums" | sort -k2)" "$(cat "$TMP/pool.sums")" \
    "every file once, with its bytes"
is "$(cut -d/ -f1-2 "$TMP/ref.sums" | awk '{print $2}' | sort -u | wc -l)" $((NFILES / 5)) \
    "in $((NFILES / 5)) batches of 5"
[ "$ms" -ge 20 ] || ms=20

# Under ASan (make check SAN=1) a run is several times slower: there the
# rounds stop after 60 s, at least 5 done; the ordinary build does all 20.
san=0
[ "$(cat "$BIN/.mode" 2>/dev/null)" = san ] && san=1
began=$(date +%s)
RANDOM=4242
done_rounds=0
bad=0 kills=0 partial=0 parts=0 twins=0
for round in $(seq "$ROUNDS"); do
	if [ "$san" -eq 1 ] && [ "$round" -gt 5 ] &&
	    [ $(( $(date +%s) - began )) -gt 60 ]; then
		diag "ASan build: stopped after $done_rounds rounds (60 s)"
		break
	fi
	done_rounds=$round
	fresh
	# Kill a run at a random instant, then kill the rerun at a random
	# instant after it has begun moving (its header line is out).
	for k in 1 2; do
		: >"$TMP/run.out"
		find "$SRC" -type f | "$MV" "$D" >"$TMP/run.out" 2>/dev/null &
		pid=$!
		if [ "$k" -eq 2 ]; then
			for i in $(seq 200); do
				[ -s "$TMP/run.out" ] && break
				sleep 0.005
			done
		fi
		sleep "$(awk -v r=$RANDOM -v ms="$ms" 'BEGIN { printf "%.3f", r / 32768 * ms / 1000 / 2 }')"
		kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
		wait "$pid" 2>/dev/null
	done
	parts=$((parts + $(find "$D" -name '*.mvgroup-part' | wc -l)))
	left=$(find "$SRC" -type f | wc -l)
	[ "$left" -gt 0 ] && [ "$left" -lt "$NFILES" ] && partial=$((partial + 1))
	find "$SRC" -type f | "$MV" "$D" >/dev/null 2>"$TMP/err"; rc=$?
	# Messages about identical targets are expected after a kill.
	twins=$((twins + $(grep -c 'already there with the same bytes' "$TMP/err")))
	grep -v 'already there with the same bytes' "$TMP/err" >"$TMP/err2"
	if [ "$rc" -ne 0 ] || [ -s "$TMP/err2" ] || [ -n "$(ls -A "$SRC")" ] ||
	    ! sums | cmp -s - "$TMP/ref.sums"; then
		bad=$((bad + 1))
		diag "round $round: rc $rc, $(ls -A "$SRC" | wc -l) left, $(head -3 "$TMP/err2")"
		sums | diff "$TMP/ref.sums" - | head -5 | while read -r l; do diag "$l"; done
	fi
done
is "$bad" 0 "$done_rounds rounds, $kills kills (in $partial rounds some files were moved and some not): every file exactly once, original bytes, same batch, nothing left over"
diag "partial copies left by kills: $parts; sources found already copied: $twins"
ok "$([ "$partial" -ge $((done_rounds / 4)) ]; echo $?)" \
    "kills fell mid-run in at least a quarter of the rounds ($partial of $done_rounds)"
done_testing

#!/usr/bin/env bash
# mvgroup: grouping into batches (window edges, midnight, late files), dry
# run, rerun, files still being written, existing targets, the lock, and
# bad usage.
. "$(dirname "$0")/tap.sh"
MV=$BIN/mvgroup
export TZ=UTC
T0=1767225590			# 2025-12-31 23:59:50 UTC

# cap NAME OFFSET: a settled capture whose first packet is at T0 + OFFSET
cap() {
	"$TOOLS/capwrite" -t "$((T0 + $2)).$3" -n 3 "$SRC/$1"
	touch -d '-2 hours' "$SRC/$1"
}
# tree DIR: every file under DIR, relative, sorted
tree() {
	(cd "$1" && find . -type f ! -name .mvgroup.lock | sort)
}

SRC=$TMP/src D=$TMP/dest
mkdir -p "$SRC" "$D"
cap a 0 2; cap b 29 9; cap c 30 5; cap d 31 0; cap e 55 0; cap f 62 0
cap g 70 0; cap h 90 0; cap i 101 0
out=$("$MV" -n "$D" "$SRC"/* 2>"$TMP/err"); rc=$?
is "$rc:$(cat "$TMP/err")" "0:" "dry run exits 0 quietly"
want="batch@from@to
2025-12-31/235950@$SRC/a@$D/2025-12-31/235950/a
2025-12-31/235950@$SRC/b@$D/2025-12-31/235950/b
2025-12-31/235950@$SRC/c@$D/2025-12-31/235950/c
2026-01-01/000021@$SRC/d@$D/2026-01-01/000021/d
2026-01-01/000021@$SRC/e@$D/2026-01-01/000021/e
2026-01-01/000052@$SRC/f@$D/2026-01-01/000052/f
2026-01-01/000052@$SRC/g@$D/2026-01-01/000052/g
2026-01-01/000052@$SRC/h@$D/2026-01-01/000052/h
2026-01-01/000131@$SRC/i@$D/2026-01-01/000131/i"
is "$out" "$want" "window 30 s from each batch's first file, across midnight: +29.9 and +30.5 join, +31 starts a batch, +62 is 31 s after it, +101 is 39 s after +62"
is "$(tree "$D")" "" "dry run moves nothing"
is "$(tree "$SRC" | wc -l)" 9 "dry run leaves every source"

out=$("$MV" "$D" "$SRC"/* 2>"$TMP/err"); rc=$?
is "$rc:$(cat "$TMP/err")" "0:" "the real run exits 0 quietly"
is "$out" "$want" "and prints what the dry run said"
is "$(tree "$D" | tr '\n' ' ')" "./2025-12-31/235950/a ./2025-12-31/235950/b ./2025-12-31/235950/c ./2026-01-01/000021/d ./2026-01-01/000021/e ./2026-01-01/000052/f ./2026-01-01/000052/g ./2026-01-01/000052/h ./2026-01-01/000131/i " \
    "files are in their batch folders"
is "$(tree "$SRC")" "" "and gone from the source"

out=$(find "$SRC" -type f | "$MV" "$D" 2>&1); rc=$?
is "$rc:$out" "0:batch@from@to" "a rerun (files from stdin) moves nothing"
out=$(find "$D" -type f ! -name .mvgroup.lock | "$MV" "$D" 2>&1); rc=$?
is "$rc:$out" "0:batch@from@to" "files already in place stay, unreported"

: >"$D/2025-12-31/235950/.b.mvgroup-part"
touch -d '-2 hours' "$D/2025-12-31/235950/.b.mvgroup-part"
out=$(find "$D" -type f | "$MV" "$D" 2>&1); rc=$?
is "$rc:$out" "0:batch@from@to" "with DEST among the sources: its lock and partial copies are skipped"
rm "$D/2025-12-31/235950/.b.mvgroup-part"

# Late files join the batch folders left by earlier runs.
cap late1 20 0; cap early 33 0; cap late2 45 0; cap new 200 0
out=$(printf '%s\n' "$SRC/late2" "$SRC/early" "$SRC/new" "$SRC/late1" | "$MV" "$D"); rc=$?
is "$rc:$out" "0:batch@from@to
2025-12-31/235950@$SRC/late1@$D/2025-12-31/235950/late1
2026-01-01/000021@$SRC/early@$D/2026-01-01/000021/early
2026-01-01/000021@$SRC/late2@$D/2026-01-01/000021/late2
2026-01-01/000310@$SRC/new@$D/2026-01-01/000310/new" \
    "a late file joins the latest batch begun at most 30 s before it, not the nearest"
cap before 126 0
out=$("$MV" "$D" "$SRC/before" | tail -n +2); rc=$?
is "$rc:$out" "0:2026-01-01/000131@$SRC/before@$D/2026-01-01/000131/before" \
    "a file starting 15 s before a batch (none before it) joins that batch"

# Window option and template.
D2=$TMP/dest2; mkdir -p "$D2"
cap w1 0 0; cap w2 1 0; cap w3 5 0
out=$("$MV" -n -w 0 -T %H%M%S "$D2" "$SRC"/w? | cut -d@ -f1 | tr '\n' ' ')
is "$out" "batch 235950 235951 235955 " "-w 0: every second its own batch; -T sets the folder name"
out=$("$MV" -n -w 4 -T %s "$D2" "$SRC"/w? | cut -d@ -f1 | tr '\n' ' ')
is "$out" "batch $T0 $T0 $((T0 + 5)) " "-w 4 with -T %s"
out=$(TZ=Asia/Taipei "$MV" -n "$D2" "$SRC/w1" | tail -n +2 | cut -d@ -f1)
is "$out" "2026-01-01/075950" "batch names are local time (TZ)"
rm -f "$SRC"/w?

# Files being written are left for the next run; exit 0.
"$TOOLS/capwrite" -t "$T0" -n 3 "$SRC/fresh"
touch -d '-20 seconds' "$SRC/fresh"
out=$("$MV" "$D2" "$SRC/fresh" 2>"$TMP/err"); rc=$?
is "$rc:$out" "0:batch@from@to" "a file modified 20 s ago is not moved"
like "$(cat "$TMP/err")" "fresh: modified [0-9]+s ago, within --settle 60; left for a later run" "and says why"
ok "$([ -f "$SRC/fresh" ]; echo $?)" "it is still there"
out=$("$MV" --settle 10 "$D2" "$SRC/fresh" | tail -n +2 | cut -d@ -f1); rc=$?
is "$rc:$out" "0:2025-12-31/235950" "--settle 10 takes it"

# An existing target: different bytes are kept on both sides, identical
# bytes remove the source.  Other files are still handled; exit 1.
mkdir -p "$D2/2025-12-31/235950"
echo "not a capture" >"$D2/2025-12-31/235950/x"
cap x 0 0; cap y 1 0
sx=$(sha256sum <"$SRC/x")
out=$("$MV" "$D2" "$SRC/x" "$SRC/missing" "$SRC/y" 2>"$TMP/err"); rc=$?
is "$rc" 1 "a different existing target exits 1"
is "$(cat "$TMP/err")" "mvgroup: $SRC/missing: No such file or directory
mvgroup: $SRC/x: $D2/2025-12-31/235950/x exists and differs; both kept" "each problem is reported"
is "$out" "batch@from@to
2025-12-31/235950@$SRC/y@$D2/2025-12-31/235950/y" "the other file is still moved"
is "$(sha256sum <"$SRC/x"):$(cat "$D2/2025-12-31/235950/x")" "$sx:not a capture" "both files are kept as they were"
cp -p "$SRC/x" "$D2/2025-12-31/235950/z"; mv "$SRC/x" "$SRC/z"
out=$("$MV" "$D2" "$SRC/z" 2>"$TMP/err"); rc=$?
is "$rc:$out" "0:batch@from@to
2025-12-31/235950@$SRC/z@$D2/2025-12-31/235950/z" "an identical existing target counts as moved"
is "$(cat "$TMP/err")" "mvgroup: $SRC/z: $D2/2025-12-31/235950/z is already there with the same bytes; removed the source" "and is reported"
ok "$([ ! -e "$SRC/z" ] && [ "$(sha256sum <"$D2/2025-12-31/235950/z")" = "$sx" ]; echo $?)" "source removed, target intact"

mkdir "$SRC/adir"
"$MV" "$D2" "$SRC/adir" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:mvgroup: $SRC/adir: not a regular file; left" "a directory is refused"

# A file named twice (the same folder entry, however spelled) is moved
# once, under its first spelling; two names of one inode are two files.
D3=$TMP/dest3; mkdir -p "$D3"
cap dup 0 0; cap hl1 1 0; ln "$SRC/hl1" "$SRC/hl2"
out=$(cd "$SRC" && "$MV" "$D3" dup dup ./dup "../${SRC##*/}/dup" "$SRC/dup" hl1 hl2 2>"$TMP/err"); rc=$?
is "$rc:$(cat "$TMP/err")" "0:" "mvgroup a a ./a ...: exit 0, nothing on stderr"
is "$out" "batch@from@to
2025-12-31/235950@dup@$D3/2025-12-31/235950/dup
2025-12-31/235950@hl1@$D3/2025-12-31/235950/hl1
2025-12-31/235950@hl2@$D3/2025-12-31/235950/hl2" "moved once, under the name given first; both hard links moved"
cap dup 0 0
out=$(printf '%s\n' "$SRC/dup" "$SRC//dup" "$SRC/dup" | "$MV" "$D3" 2>"$TMP/err"); rc=$?
is "$rc:$out:$(cat "$TMP/err")" "0:batch@from@to
2025-12-31/235950@$SRC/dup@$D3/2025-12-31/235950/dup:mvgroup: $SRC/dup: $D3/2025-12-31/235950/dup is already there with the same bytes; removed the source" \
    "the same from standard input (an identical copy already there): one attempt, one message"

# The lock: a second run refuses at once and touches nothing.
cap l 0 0
out=$(flock "$D2/.mvgroup.lock" "$MV" "$D2" "$SRC/l" 2>&1); rc=$?
is "$rc:$out" "1:mvgroup: $D2: another mvgroup is moving files there; nothing done" \
    "a run while another holds DEST's lock refuses with exit 1"
ok "$([ -f "$SRC/l" ]; echo $?)" "and leaves the file"
out=$(flock "$D2/.mvgroup.lock" "$MV" -n "$D2" "$SRC/l" 2>&1 | tail -n +2 | cut -d@ -f1); 
is "$out" "2025-12-31/235950" "a dry run needs no lock"

# Usage.
"$MV" >/dev/null 2>&1; is "$?" 2 "no DEST: exit 2"
"$MV" -w x "$D2" "$SRC/l" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(head -1 "$TMP/err")" "2:mvgroup: -w: 'x' is not a number of seconds (0..315360000)" "bad -w: exit 2"
"$MV" --settle -1 "$D2" "$SRC/l" >/dev/null 2>&1; is "$?" 2 "negative --settle: exit 2"
"$MV" -T '%Y/../x' "$D2" "$SRC/l" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(head -1 "$TMP/err")" "2:mvgroup: -T %Y/../x: '.' and '..' are not folder names" "a template leaving DEST: exit 2"
"$MV" "$TMP/nodest" "$SRC/l" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:mvgroup: $TMP/nodest: No such file or directory" "a missing DEST: exit 1"
ok "$([ -f "$SRC/l" ]; echo $?)" "nothing moved by bad usage"
done_testing

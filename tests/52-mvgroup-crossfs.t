#!/usr/bin/env bash
# mvgroup across file systems: the copy path (temporary name, fsync, rename,
# fsync, unlink) ends with identical bytes, mode and times; a partial copy
# left by a killed run is replaced; a complete target with its source still
# there (killed between rename and unlink) is finished by removing the source.
# Needs a second file system: a tmpfs mounted here when root, else /dev/shm.
. "$(dirname "$0")/tap.sh"
MV=$BIN/mvgroup
export TZ=UTC

if [ "$(id -u)" -eq 0 ] && mkdir -p "$TMP/mnt" &&
    mount -t tmpfs -o size=64m mptk-test "$TMP/mnt" 2>/dev/null; then
	OTHER=$TMP/mnt
	trap 'umount "$TMP/mnt"; rm -rf "$TMP"' EXIT
elif [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$TMP")" ]; then
	OTHER=$(mktemp -d /dev/shm/mptk-test.XXXXXX)
	trap 'rm -rf "$OTHER" "$TMP"' EXIT
else
	skip_all "no second file system (not root, no /dev/shm)"
fi
[ "$(stat -c %d "$OTHER")" != "$(stat -c %d "$TMP")" ] ||
    skip_all "$OTHER is on the same file system as $TMP"

SRC=$TMP/src D=$OTHER/dest
mkdir -p "$SRC" "$D"
"$TOOLS/capwrite" -t 1700000000 -n 2000 "$SRC/big.pcap"
head -c 3000000 /dev/urandom >"$SRC/r-2023-11-14-22-13-25.bin"
chmod 640 "$SRC/big.pcap"
touch -d '2023-11-15 01:02:03.456789' "$SRC/big.pcap" "$SRC/r-2023-11-14-22-13-25.bin"
sums=$(cd "$SRC" && sha256sum big.pcap r-2023-11-14-22-13-25.bin)
# A partial copy left behind by a killed run, to be replaced.
mkdir -p "$D/2023-11-14/221320"
echo partial >"$D/2023-11-14/221320/.big.pcap.mvgroup-part"

out=$("$MV" "$D" "$SRC"/* 2>"$TMP/err"); rc=$?
is "$rc:$(cat "$TMP/err")" "0:" "a move to another file system exits 0"
is "$out" "batch@from@to
2023-11-14/221320@$SRC/big.pcap@$D/2023-11-14/221320/big.pcap
2023-11-14/221320@$SRC/r-2023-11-14-22-13-25.bin@$D/2023-11-14/221320/r-2023-11-14-22-13-25.bin" \
    "and reports both moves"
B=$D/2023-11-14/221320
is "$(cd "$B" && sha256sum big.pcap r-2023-11-14-22-13-25.bin)" "$sums" "the targets hold identical bytes"
is "$(ls -A "$SRC")" "" "the sources are gone"
is "$(ls -A "$B" | tr '\n' ' ')" "big.pcap r-2023-11-14-22-13-25.bin " "no temporary copy is left"
is "$(stat -c '%a %y' "$B/big.pcap")" "640 2023-11-15 01:02:03.456789000 +0000" "mode and modification time are kept"

# Back again (tmpfs to disk) with the target complete and the source still
# there: the state a kill between rename and unlink leaves.
D2=$TMP/back; mkdir -p "$D2/2023-11-14/221320"
cp -p "$B/big.pcap" "$D2/2023-11-14/221320/"
out=$("$MV" "$D2" "$B/big.pcap" 2>"$TMP/err"); rc=$?
is "$rc:$(tail -n +2 <<<"$out")" "0:2023-11-14/221320@$B/big.pcap@$D2/2023-11-14/221320/big.pcap" \
    "a complete target with its source still there: finished"
like "$(cat "$TMP/err")" "already there with the same bytes; removed the source" "and reported"
ok "$([ ! -e "$B/big.pcap" ]; echo $?)" "the source is removed"
is "$(cd "$D2/2023-11-14/221320" && sha256sum big.pcap)" "$(head -1 <<<"$sums")" "the target is intact"

# A batch folder that cannot be made (a file has its name): the source stays.
mkdir -p "$TMP/blocked"; echo x >"$TMP/blocked/2023-11-14"
"$MV" "$TMP/blocked" "$B/r-2023-11-14-22-13-25.bin" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc:$(cat "$TMP/err")" "1:mvgroup: $TMP/blocked/2023-11-14/221325: Not a directory" \
    "a batch folder that cannot be made exits 1"
ok "$([ -f "$B/r-2023-11-14-22-13-25.bin" ]; echo $?)" "and the source stays"
done_testing

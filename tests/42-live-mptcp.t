#!/usr/bin/env bash
# udsend/udrecv --mptcp: one MPTCP connection whose second subflow the
# kernel's path manager opens over the second path; every record arrives.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
[ -x "$BIN/udsend" ] && [ -x "$BIN/udrecv" ] || skip_all "udsend/udrecv not built"
netns_need
[ "$(sysctl -n net.mptcp.enabled 2>/dev/null)" = 1 ] || skip_all "MPTCP is not enabled"
netns_setup 2 || skip_all "could not build the namespaces"
netns_shape 0 10mbit 20ms
netns_shape 1 10mbit 20ms
# both ends take up to 2 subflows; the client announces its second address
in_srv ip mptcp limits set subflows 2 add_addr_accepted 2
in_cli ip mptcp limits set subflows 2 add_addr_accepted 2
in_cli ip mptcp endpoint add 198.18.1.2 dev c1 subflow
ok $? "MPTCP endpoint on the client's second path"

M=750		# 2000 kbit/s of 400-byte records = 625/s, for 1.2 s
$SRV timeout 30 "$BIN/udrecv" -l --mptcp -p 3290 --setup 10 --idle 5 \
	>"$TMP/recv" 2>"$TMP/recv.err" &
rpid=$!
$CLI timeout 30 "$BIN/udsend" --mptcp -H "$SRV_ADDR" -p 3290 -b 2000 -t 1.2 \
	>"$TMP/send" 2>"$TMP/send.err" &
spid=$!
netns_track $rpid $spid
# the subflows while the run goes on: TCP sockets of the MPTCP connection
sleep 0.6
in_cli ss -tniH state established '( dport = :3290 )' >"$TMP/ss"
in_cli ss -MniH >"$TMP/ssM"
wait $spid; src=$?
wait $rpid; rrc=$?
is "$src:$rrc" "0:0" "udsend --mptcp and udrecv --mptcp exit 0"
is "$(grep -c 'tcp-ulp-mptcp' "$TMP/ss")" 2 "two TCP subflows carry the MPTCP connection"
like "$(cat "$TMP/ss")" "198\.18\.1\.2.*198\.19\.0\.1:3290" "a subflow leaves by the second path"
is "$(grep -c '198.19.0.1:3290' "$TMP/ssM")" 1 "one MPTCP connection (ss -M)"
is "$(in_order "$TMP/recv" $M 3290)" ok "udrecv got records 0..$((M - 1)) in order"
is "$(same_born "$TMP/send" "$TMP/recv")" 0 "born as sent"
like "$(cat "$TMP/recv.err")" "path 3290: $M records.*ended" "udrecv's summary"
done_testing

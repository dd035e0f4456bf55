#!/usr/bin/env bash
# udrecv as a server facing hostile peers while a real run goes on:
# garbage, a record with a bad flag, short writes that then stall, a peer
# outside --allow, a silent (half-open) connection and floods of extra
# connections before and during the run.  The run completes with every
# record, each bad peer is dropped with a message, memory stays small.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/40-netns.sh"
need_live
netns_setup 2 || skip_all "could not build the namespaces"
# a client address outside --allow (still in 198.18.0.0/15)
in_cli ip addr add 198.19.9.2/32 dev c0
in_srv ip route add 198.19.9.2/32 via 198.18.0.2 dev s0

cat >"$TMP/hostile.pl" <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
use Time::HiRes qw(sleep time);
my ($srv, $mode, $hold) = @ARGV;
my @keep;
$| = 1;
sub conn {
	my ($port, $src) = @_;
	return IO::Socket::INET->new(PeerAddr => $srv, PeerPort => $port,
	    Proto => 'tcp', Timeout => 2, ($src ? (LocalAddr => $src) : ()));
}
my $now = int(time * 1000);
my $good = pack('Q>NC', $now, 0, 1) . ("\0" x 387);
srand(42);
if ($mode eq 'before') {
	# garbage: random bytes, with flag 85, then with flag 1
	for my $flag (0x55, 1) {
		my $s = conn(3300) or next;
		my $g = join '', map { chr(int(rand(256))) } 1 .. 2000;
		substr($g, 12, 1) = chr($flag);
		syswrite $s, $g;
		push @keep, $s;
	}
	# a plausible send time with flag 7
	if (my $s = conn(3300)) {
		syswrite $s, pack('Q>NC', $now, 0, 7) . ("\0" x 387);
		push @keep, $s;
	}
	# half a good record in 10-byte writes, then nothing
	if (my $s = conn(3300)) {
		for my $i (0 .. 19) {
			syswrite $s, substr($good, $i * 10, 10);
			sleep 0.01;
		}
		push @keep, $s;
	}
	# a peer outside --allow
	if (my $s = conn(3300, '198.19.9.2')) {
		push @keep, $s;
	}
	# a silent connection, then a flood of 40 more
	for (1 .. 41) {
		my $s = conn(3302) or next;
		push @keep, $s;
	}
} else {
	# during the run: floods and garbage on both ports
	for (1 .. 30) {
		for my $port (3300, 3302) {
			my $s = conn($port) or next;
			syswrite $s, "GET / HTTP/1.0\r\n\r\n";
			push @keep, $s;
		}
	}
}
print scalar(@keep), "\n";
sleep $hold;
PERL

$SRV timeout 30 "$BIN/udrecv" -l -p 3300 -n 2 --setup 10 --idle 1.5 \
	--allow 198.18.0.0/16 >"$TMP/recv" 2>"$TMP/recv.err" &
rpid=$!
netns_track $rpid
sleep 0.3
$CLI timeout 20 perl "$TMP/hostile.pl" "$SRV_ADDR" before 8 >"$TMP/before" 2>&1 &
hpid=$!
netns_track $hpid
# the flood is in; then the short writer stalls past --idle
for _ in $(seq 100); do [ -s "$TMP/before" ] && break; sleep 0.1; done
sleep 1.6
M=500		# 800 kbit/s, 400-byte records: 250/s for 2 s
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3300 -n 2 -b 800 -t 2 \
	>"$TMP/send" 2>"$TMP/send.err" &
spid=$!
netns_track $spid
sleep 1
$CLI timeout 20 perl "$TMP/hostile.pl" "$SRV_ADDR" during 2 >"$TMP/during" 2>&1 &
h2pid=$!
netns_track $h2pid
# the receiving process under timeout: its memory while under attack
upid=$(ps -o pid= --ppid "$rpid" | tr -d ' ')
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$upid/status" 2>/dev/null)
wait $spid; src=$?
wait $rpid; rrc=$?
is "$src:$rrc" "0:0" "udsend and udrecv exit 0 despite the attack"
note "hostile connections held: before $(cat "$TMP/before"), during $(cat "$TMP/during")"
[ "$(cat "$TMP/before")" -ge 30 ]; ok $? "the flood before the run got its connections"
is "$(cat "$TMP/during")" 0 "during the run the ports refuse every further connection"
is "$(in_order "$TMP/recv" $M 3300 3302)" ok "udrecv got records 0..$((M - 1)) in order on both paths"
is "$(same_born "$TMP/send" "$TMP/recv")" 0 "born as sent"
err=$(cat "$TMP/recv.err")
like "$err" "path 3300: .*: malformed record: flag 85, dropped" "garbage dropped"
like "$err" "path 3300: .*: malformed record: send time .* not within a day.*dropped" "garbage with a valid flag dropped"
like "$err" "path 3300: .*: malformed record: flag 7, dropped" "bad flag dropped"
like "$err" "path 3300: .*: silent for 1.5 s, dropped" "stalled short writer dropped"
like "$err" "path 3300: 198.19.9.2:[0-9]+: not allowed by --allow" "peer outside --allow refused"
like "$err" "path 3302: .*(silent while the port is full|another peer won the port)" "the flood is turned away"
like "$err" "path 3300: 500 records, 200000 bytes.* 0 gaps .*ended" "path 3300 complete"
like "$err" "path 3302: 500 records, 200000 bytes.* 0 gaps .*ended" "path 3302 complete"
n=$(grep -c "udrecv: path" "$TMP/recv.err")
[ "$n" -le 30 ]; ok $? "messages stay bounded under the flood ($n lines)"
[ -n "$rss" ] && [ "$rss" -lt 16384 ]; ok $? "udrecv's memory stays small under attack (${rss:-?} kB)"

# A slowloris: on each port, eight connections that send one byte every
# 3 s (never silent for --idle) and connect again when dropped, so every
# candidate slot is held by a trickle; a real run must still get through.
cat >"$TMP/trickle.pl" <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Time::HiRes qw(sleep time);
my ($srv, $hold, @ports) = @ARGV;
my (%port_of, %next, $made);
$| = 1;
$SIG{PIPE} = 'IGNORE';
my $sel = IO::Select->new;
sub open_one {
	my ($port) = @_;
	my $s = IO::Socket::INET->new(PeerAddr => $srv, PeerPort => $port,
	    Proto => 'tcp', Timeout => 2) or return;
	syswrite $s, "x";
	$port_of{$s} = $port;
	$next{$s} = time + 3;
	$sel->add($s);
	$made++;
}
for my $port (@ports) { open_one($port) for 1 .. 8; }
print "$made\n";
my $end = time + $hold;
while (time < $end) {
	for my $s ($sel->can_read(0.1)) {
		next if sysread($s, my $buf, 512);
		# dropped by the server: take the slot again
		my $port = $port_of{$s};
		$sel->remove($s);
		close $s;
		open_one($port);
	}
	for my $s ($sel->handles) {
		next if time < $next{$s};
		syswrite $s, "x";
		$next{$s} = time + 3;
	}
}
print "$made\n";
PERL
$SRV timeout 30 "$BIN/udrecv" -l -p 3360 -n 2 --setup 10 >"$TMP/srecv" 2>"$TMP/srecv.err" &
rpid=$!
netns_track $rpid
sleep 0.3
$CLI timeout 20 perl "$TMP/trickle.pl" "$SRV_ADDR" 8 3360 3362 >"$TMP/trickle" 2>&1 &
tpid=$!
netns_track $tpid
for _ in $(seq 50); do [ -s "$TMP/trickle" ] && break; sleep 0.1; done
is "$(head -1 "$TMP/trickle")" 16 "the slowloris holds all 8 candidate slots of both ports"
# the attack goes on (each trickler has sent its first byte) when the real
# peer comes
sleep 1
$CLI timeout 30 "$BIN/udsend" -H "$SRV_ADDR" -p 3360 -n 2 -b 800 -t 2 \
	>"$TMP/ssend" 2>"$TMP/ssend.err"
src=$?
wait $rpid; rrc=$?
is "$src:$rrc" "0:0" "slowloris: udsend and udrecv exit 0" ||
	diag "$(cat "$TMP/ssend.err" "$TMP/srecv.err")"
is "$(in_order "$TMP/srecv" $M 3360 3362)" ok "slowloris: every record on both paths"
err=$(cat "$TMP/srecv.err")
like "$err" "path 3360: .*: no whole record (yet while the port is full|within 2.0 s of its first byte)" \
	"slowloris: a trickling candidate loses its slot"
like "$err" "path 3362: 500 records, 200000 bytes.* 0 gaps .*ended" "slowloris: path 3362 complete"
kill $tpid 2>/dev/null
done_testing

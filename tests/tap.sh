# tap.sh: sourced by the TAP tests under tests/ (run by prove).
# Gives: $TOP (the project), $BIN (the programs), $CAPS (../shared/captures),
# $TMP (removed at exit), and ok/is/like/skip_all/done_testing.
# Diagnostics of a failing test (is, like, diag) go to stderr, which prove
# shows next to the failure; note writes TAP comments that prove hides.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${MPTK_BIN:-$TOP/bin}
TOOLS=${MPTK_TOOLS:-$TOP/obj/std/tools}
CAPS=${MPTK_CAPTURES:-$TOP/../shared/captures}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mptk-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C
_tap_n=0
_tap_fail=0

# ok COND-STATUS DESCRIPTION: "ok cmd args" is spelled: cmd args; ok $? "desc"
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		printf '#   failed: %s (status %s)\n' "$2" "$1" >&2
		_tap_fail=$((_tap_fail + 1))
		return 1
	fi
}

# is GOT WANT DESCRIPTION
is() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_tap_n - $3"
	else
		echo "not ok $_tap_n - $3"
		printf '#   %s\n#   got:  %s\n#   want: %s\n' "$3" "$1" "$2" | head -40 >&2
		_tap_fail=$((_tap_fail + 1))
		return 1
	fi
}

# like GOT REGEX DESCRIPTION (grep -E)
like() {
	_tap_n=$((_tap_n + 1))
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		echo "ok $_tap_n - $3"
	else
		echo "not ok $_tap_n - $3"
		printf '#   %s\n#   got:  %s\n#   want match: %s\n' "$3" "$1" "$2" |
			head -40 >&2
		_tap_fail=$((_tap_fail + 1))
		return 1
	fi
}

# skip DESCRIPTION: one test counted as skipped
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # skip $1"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# diag LINE...: to stderr, shown by prove (why a test failed)
diag() {
	printf '# %s\n' "$@" >&2
}

# note LINE...: a TAP comment on stdout, for prove -v (what a run measured)
note() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
}

# need_captures SUBDIR: skip the whole test when the shared captures are absent
need_captures() {
	[ -d "$CAPS/$1" ] || skip_all "no captures in $CAPS/$1"
}

need_tshark() {
	command -v tshark >/dev/null 2>&1 || skip_all "tshark is not installed"
}

# tshark 4.0 warns when run as root; tests want its data only.
tsh() {
	tshark "$@" 2>/dev/null
}

# pcap2csv_fields: pcap2csv's default fields, one per line, read from its own
# header line on an empty capture: the list lives in pcap2csv only.
pcap2csv_fields() {
	"$TOOLS/pcapgen" empty - | "$BIN/pcap2csv" | tr '@' '\n'
}

# tshark_fields CAPTURE FIELD...: tshark's '@' rows of those fields, header
# first (with the MPTCP mapping analysis that pcap2csv's mptcp.* follow)
tshark_fields() {
	local cap=$1 args=() f
	shift
	for f in "$@"; do args+=(-e "$f"); done
	tsh -r "$cap" -T fields -E header=y -E separator=@ \
	    -o mptcp.analyze_mappings:TRUE \
	    -o mptcp.intersubflows_retransmission:TRUE "${args[@]}"
}

# tshark_rows CAPTURE: from tshark, the rows pcap2csv prints by default
tshark_rows() {
	local fields
	fields=$(pcap2csv_fields) && [ -n "$fields" ] ||
	    { echo "tap.sh: no default field list from pcap2csv" >&2; return 1; }
	# shellcheck disable=SC2086
	tshark_fields "$1" $fields
}

# What seqjoin reads of a capture, as tshark fields (pcap2csv's default list
# holds them all): tshark_seqjoin_rows CAPTURE
SEQJOIN_FIELDS="frame.time_epoch tcp.stream ip.src ip.dst tcp.srcport
tcp.dstport tcp.seq_raw tcp.ack_raw tcp.len tcp.flags
tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.payload
ip.ttl ipv6.hlim udp.srcport udp.dstport udp.length udp.payload"
tshark_seqjoin_rows() {
	# shellcheck disable=SC2086
	tshark_fields "$1" $SEQJOIN_FIELDS
}
pcap2csv_seqjoin_rows() {
	# shellcheck disable=SC2086
	"$BIN/pcap2csv" $(printf -- '-e %s ' $SEQJOIN_FIELDS) "$1"
}

# The MPTCP fields seqjoin reads besides (tshark needs the mapping analysis
# for mptcp.dsn, single pass): tshark_mptcp_rows CAPTURE, and
# pcap2csv_mptcp_rows CAPTURE (fails while pcap2csv lacks them)
SEQJOIN_MPTCP_FIELDS="mptcp.stream mptcp.dsn mptcp.ack
tcp.options.mptcp.subtype tcp.options.mptcp.addrid"
tshark_mptcp_rows() {
	local args=() f
	for f in $SEQJOIN_FIELDS $SEQJOIN_MPTCP_FIELDS; do args+=(-e "$f"); done
	tsh -r "$1" -n -T fields -E header=y -E separator=@ \
	    -o mptcp.analyze_mappings:TRUE \
	    -o mptcp.intersubflows_retransmission:TRUE "${args[@]}"
}
pcap2csv_mptcp_rows() {
	# shellcheck disable=SC2086
	"$BIN/pcap2csv" $(printf -- '-e %s ' $SEQJOIN_FIELDS $SEQJOIN_MPTCP_FIELDS) "$1"
}

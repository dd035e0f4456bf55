#!/usr/bin/env bash
# lib/util's number text: num_double's fast path (Clinger's: an exact
# mantissa divided by an exact power of ten) must give strtod's value bit
# for bit, the filters read millions of times and milliseconds through it;
# num_fmt_u64 and num_fmt_pad, which write every number pcap2csv prints,
# must give printf's digits, and hex_encode (SSE2, AVX2 where the processor
# has it) printf's %02x; the readers' eight-digit parsers must agree with
# the digit-at-a-time ones on every verdict and value.
. "$(dirname "$0")/tap.sh"
N=$TOOLS/numtext

out=$("$N" fmt); rc=$?
is "$rc:${out##*$'\n'}" "0:1000124 checked, 0 differ" "numbers written as printf writes them: powers of ten and their neighbours, 2^32, 2^64 - 1, a million of every length"
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -5 >&2

out=$("$N" hex); rc=$?
is "$rc:${out##*$'\n'}" "0:60200 checked, 0 differ" "payload hex as printf's %02x: random bytes of every length 0 to 300, nothing written past the end"
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -5 >&2

out=$("$N" len); rc=$?
is "$rc:${out##*$'\n'}" "0:3432300 checked, 0 differ" "decimals read eight digits at a time (num_u64, num_u64_n against a 128-bit reading; num_fixed_n against num_fixed): every length to 25, a byte not a digit or a '.' anywhere, the edges of 2^64 and INT64_MAX; num_hex against a 128-bit reading"
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -5 >&2

out=$("$N" random 400000); rc=$?
is "$rc:${out##*$'\n'}" "0:400000 checked, 0 differ" "400,000 numbers of the filters' shapes read as strtod reads them"
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -5 >&2

out=$(printf '%s\n' 0 -0 -0.0 0.000 1.5 -1.5 9007199254740992 9007199254740993 \
    9007199254740992.5 18446744073709551615 18446744073709551616 \
    0.0000000000000000000001 0.00000000000000000000001 1e5 -2.5E-3 \
    1795548575.964260000 1795548575.964260123 12345678901234567890123 \
    | "$N"); rc=$?
is "$rc:${out##*$'\n'}" "0:18 checked, 0 differ" "edges: signed zero, 2^53 and past it, 2^64, 22 and 23 decimals, exponents"
[ "$rc" = 0 ] || printf '%s\n' "$out" >&2

done_testing

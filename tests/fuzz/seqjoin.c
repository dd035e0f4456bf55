/*
 * Fuzz target: filters/seqjoin's own main (tests/fuzz/prog.h) on an
 * arbitrary '@' stream as its standard input: pcap2csv's TCP, UDP and MPTCP rows (and udrecv's rows) turned into records, reassembled and joined across paths.
 *
 * Input: the stream (header line, rows), read from stdin as seqjoin reads
 * it, output to /dev/null.  A first byte below 8 instead picks an option
 * set (byte % count, below) and is not part of the stream.  Bad input
 * ends in seqjoin's own message and exit status, which is no crash.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/seqjoin -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-seqjoin tests/fuzz/corpus/seqjoin
 * make check replays tests/fuzz/corpus/seqjoin (tests/13-fuzz-replay.t).
 */
#include <stddef.h>
#include <stdint.h>

#include "prog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *v0[] = { "seqjoin", NULL };
	static char *v1[] = { "seqjoin", "-F", "iperf3", NULL };
	static char *v2[] = { "seqjoin", "-F", "labudp", "-s", "32", NULL };
	static char *v3[] = { "seqjoin", "-p", "5201,5202", NULL };
	static char *v4[] = { "seqjoin", "-W", "1", NULL };
	static char *v5[] = { "seqjoin", "--at", "server", NULL };
	static char *v6[] = { "seqjoin", "-F", "mptk", "-s", "13", NULL };
	static char **const variants[] = { v0, v1, v2, v3, v4, v5, v6, };

	prog_run_variant(variants, sizeof(variants) / sizeof(variants[0]),
	    data, size);
	return 0;
}

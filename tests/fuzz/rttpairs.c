/*
 * Fuzz target: filters/rttpairs's own main (tests/fuzz/prog.h) on an
 * arbitrary '@' stream as its standard input: pcap2csv or seqjoin rows (times, rtt/owd columns per path) paired and their statistics printed.
 *
 * Input: the stream (header line, rows), read from stdin as rttpairs reads
 * it, output to /dev/null.  A first byte below 8 instead picks an option
 * set (byte % count, below) and is not part of the stream.  Bad input
 * ends in rttpairs's own message and exit status, which is no crash.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/rttpairs -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-rttpairs tests/fuzz/corpus/rttpairs
 * make check replays tests/fuzz/corpus/rttpairs (tests/13-fuzz-replay.t).
 */
#include <stddef.h>
#include <stdint.h>

#include "prog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *v0[] = { "rttpairs", NULL };
	static char *v1[] = { "rttpairs", "-m", "owd", NULL };
	static char *v2[] = { "rttpairs", "-m", "rtt", "--cdf", NULL };
	static char *v3[] = { "rttpairs", "--every", "1", NULL };
	static char *v4[] = { "rttpairs", "-t", "5", "--offset", "min", NULL };
	static char **const variants[] = { v0, v1, v2, v3, v4, };

	prog_run_variant(variants, sizeof(variants) / sizeof(variants[0]),
	    data, size);
	return 0;
}

/*
 * Fuzz target: filters/heatmat's own main (tests/fuzz/prog.h) on an
 * arbitrary '@' stream as its standard input: rttpairs' statistics rows read into cells (metric, a, b, dir, start, the statistic), then the matrices built and printed.
 *
 * Input: the stream (header line, rows), read from stdin as heatmat reads
 * it, output to /dev/null.  A first byte below 8 instead picks an option
 * set (byte % count, below) and is not part of the stream.  Bad input
 * ends in heatmat's own message and exit status, which is no crash.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/heatmat -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-heatmat tests/fuzz/corpus/heatmat
 * make check replays tests/fuzz/corpus/heatmat (tests/13-fuzz-replay.t).
 */
#include <stddef.h>
#include <stdint.h>

#include "prog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *v0[] = { "heatmat", NULL };
	static char *v1[] = { "heatmat", "-s", "n", NULL };
	static char *v2[] = { "heatmat", "-d", "ul", "-s", "p95", NULL };
	static char *v3[] = { "heatmat", "-t", "5", "-s", "excess", NULL };
	static char **const variants[] = { v0, v1, v2, v3, };

	prog_run_variant(variants, sizeof(variants) / sizeof(variants[0]),
	    data, size);
	return 0;
}

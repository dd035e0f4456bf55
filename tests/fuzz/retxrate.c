/*
 * Fuzz target: filters/retxrate's own main (tests/fuzz/prog.h) on an
 * arbitrary '@' stream as its standard input: pcap2csv's TCP rows (ports, sequence numbers, lengths, flags, retransmission analysis) counted per path and direction.
 *
 * Input: the stream (header line, rows), read from stdin as retxrate reads
 * it, output to /dev/null.  A first byte below 8 instead picks an option
 * set (byte % count, below) and is not part of the stream.  Bad input
 * ends in retxrate's own message and exit status, which is no crash.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/retxrate -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-retxrate tests/fuzz/corpus/retxrate
 * make check replays tests/fuzz/corpus/retxrate (tests/13-fuzz-replay.t).
 */
#include <stddef.h>
#include <stdint.h>

#include "prog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *v0[] = { "retxrate", NULL };
	static char *v1[] = { "retxrate", "-R", NULL };
	static char *v2[] = { "retxrate", "-L", "5201@a,5202@b", NULL };
	static char **const variants[] = { v0, v1, v2, };

	prog_run_variant(variants, sizeof(variants) / sizeof(variants[0]),
	    data, size);
	return 0;
}

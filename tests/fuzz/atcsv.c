/*
 * Fuzz target: the '@' stream reader lib/atcsv as the filters use it:
 * at_reader_open on the input (fmemopen), column look-ups by name,
 * at_require, then every row through at_next, at_get and the numeric
 * conversions at_get_double/u64/i64, each field written back with at_put.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/atcsv -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-atcsv tests/fuzz/corpus/atcsv
 * make check replays tests/fuzz/corpus/atcsv (tests/13-fuzz-replay.t).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const need[] = { "frame.number", "tcp.len", NULL };
	static FILE *sink;
	struct at_reader *r;
	struct at_writer w;
	char *copy;
	FILE *fp;
	int rc, rows = 0;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	/* a copy, so ASan sees a read past the input */
	if ((copy = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	/* fmemopen refuses size 0: an empty stream is /dev/null */
	fp = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "r");
	if (fp == NULL)
		abort();
	if ((r = at_reader_open(fp, size & 1 ? "fuzz" : NULL)) == NULL)
		goto out;
	(void)at_require(r, need);
	for (size_t i = 0; i < at_ncols(r); i++)
		if (at_col(r, at_colname(r, i)) < 0)
			abort();	/* every header name is found */
	at_writer_init(&w, sink);
	while ((rc = at_next(r)) == 1 && rows++ < 10000) {
		(void)at_line(r);
		for (int col = -1; col < (int)at_ncols(r); col++) {
			double dv;
			uint64_t uv;
			int64_t iv;

			at_put(&w, at_get(r, col));
			(void)at_get_double(r, col, &dv);
			(void)at_get_u64(r, col, &uv);
			(void)at_get_i64(r, col, &iv);
		}
		if (at_end(&w) != 0)
			abort();
	}
	at_flush(&w);
	at_writer_free(&w);
	at_reader_free(r);
out:
	fclose(fp);
	free(copy);
	return 0;
}

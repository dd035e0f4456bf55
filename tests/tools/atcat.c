/*
 * atcat: drives lib/atcsv for tests.  Reads an '@' stream on stdin and
 * writes the columns named in argv (all without arguments) back out.
 * ATCAT_BATCH=N in the environment holds N bytes of rows per write.
 */
#include <stdlib.h>

#include "atcsv.h"
#include "common.h"

int
main(int argc, char **argv)
{
	struct at_reader *r = at_reader_open(stdin, NULL);
	struct at_writer w;
	int cols[64], ncols = 0, rc;

	if (r == NULL)
		return EXIT_DATA;
	if (argc > 1) {
		if (at_require(r, (const char *const *)argv + 1) != 0) {
			at_reader_free(r);
			return EXIT_DATA;
		}
		for (int i = 1; i < argc && ncols < 64; i++)
			cols[ncols++] = at_col(r, argv[i]);
	} else {
		for (size_t i = 0; i < at_ncols(r) && ncols < 64; i++)
			cols[ncols++] = (int)i;
	}
	at_writer_init(&w, stdout);
	if (getenv("ATCAT_BATCH") != NULL)
		at_writer_batch(&w, strtoul(getenv("ATCAT_BATCH"), NULL, 10));
	for (int i = 0; i < ncols; i++)
		at_put(&w, at_colname(r, (size_t)cols[i]));
	at_end(&w);
	while ((rc = at_next(r)) == 1) {
		for (int i = 0; i < ncols; i++)
			at_put(&w, at_get(r, cols[i]));
		at_end(&w);
	}
	at_reader_free(r);
	if (at_flush(&w) != 0)
		return EXIT_DATA;
	at_writer_free(&w);
	return rc < 0 ? EXIT_DATA : 0;
}

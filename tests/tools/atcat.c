/*
 * atcat: drives lib/atcsv for tests.  Reads an '@' stream on stdin (or
 * the files after "--", as at_reader_files does) and writes the columns
 * named before it (all without any) back out.
 * ATCAT_BATCH=N in the environment holds N bytes of rows per write.
 */
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "common.h"

int
main(int argc, char **argv)
{
	struct at_reader *r;
	struct at_writer w;
	int cols[64], ncols = 0, rc, nnames;

	for (nnames = 1; nnames < argc; nnames++)
		if (strcmp(argv[nnames], "--") == 0)
			break;
	if (nnames < argc)
		r = at_reader_files(argv + nnames + 1,
		    (size_t)(argc - nnames - 1));
	else
		r = at_reader_open(stdin, NULL);
	if (r == NULL)
		return EXIT_DATA;
	argv[nnames] = NULL;
	argc = nnames;
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

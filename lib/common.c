#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"


void
tk_std_options(int argc, char **argv, const char *synopsis,
    const char *options)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			printf("usage: %s %s\n%s", program_invocation_short_name,
			    synopsis, options);
			printf("  -h, --help   this text\n"
			    "  --version    the version\n");
			exit(fflush(stdout) == 0 ? 0 : EXIT_DATA);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("%s (mptk) %s\n", program_invocation_short_name,
			    VERSION);
			exit(fflush(stdout) == 0 ? 0 : EXIT_DATA);
		}
	}
}

void
tk_usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s %s\n", program_invocation_short_name,
	    synopsis);
	exit(EXIT_USAGE);
}

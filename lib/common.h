/*
 * common.h: conventions every program of the toolkit shares: exit codes,
 * --help and --version, and the "prog: where: what" error format.
 */
#ifndef MPTK_COMMON_H
#define MPTK_COMMON_H

#include <stdio.h>
#include <stdnoreturn.h>

#define EXIT_DATA  1	/* bad data or I/O failure */
#define EXIT_USAGE 2	/* bad usage */

#ifndef VERSION
#define VERSION "0"
#endif

/*
 * Handles -h, --help and --version anywhere before "--" in argv, so every
 * program answers them the same way whatever its own option parser is.
 * `synopsis` is the usage text without the leading "usage: "; `options` is
 * one line per option ("  -s LEN       record length (400)\n"), what
 * -h and --help print after it (the man page stays the full text).
 */
void tk_std_options(int argc, char **argv, const char *synopsis,
    const char *options);

/* Prints "usage: prog synopsis" to stderr and exits EXIT_USAGE. */
noreturn void tk_usage(const char *synopsis);

#endif

/*
 * prog.h: a filter's own source as a fuzz target.  The Makefile compiles
 * the filter's files (filters/NAME.c, or every .c of filters/NAME/) a second time,
 * for fuzz and replay builds only, with `-include tests/fuzz/prog.h
 * -Dmain=prog_main`, and links them with tests/fuzz/prog.c and the
 * target (tests/fuzz/NAME.c), which calls prog_run().
 *
 * Within those files exit(), err() and errx() end the run, not the process:
 * the message goes to stderr as it would, and prog_run() returns the exit
 * status through a longjmp.  A filter that exits on bad input is doing its
 * job; that is no crash and must not end the fuzzer.  The normal builds of
 * the filters do not see this file.
 */
#ifndef MPTK_FUZZ_PROG_H
#define MPTK_FUZZ_PROG_H

#include <err.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>

noreturn void prog_exit(int status);
noreturn void prog_err(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
noreturn void prog_errx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
FILE *prog_tmpfile(void);

int prog_main(int argc, char **argv);

/*
 * Runs prog_main with argv (NULL-terminated, argv[0] the program's name)
 * and data[0..size) as its standard input, standard output to /dev/null.
 * The exit status: what main returned or exit() was given.
 */
int prog_run(char **argv, const uint8_t *data, size_t size);

/*
 * The input as the targets take it: a first byte below 8 picks
 * variants[byte % n] (option sets) and is not part of the stream; any
 * other input is the stream, run with variants[0].
 */
int prog_run_variant(char **const variants[], size_t n, const uint8_t *data,
    size_t size);

/* Runs that ended in exit()/err()/errx(), for a target's own checks. */
unsigned long prog_exits(void);

#ifndef PROG_NO_REDIRECT
#define exit(status) prog_exit(status)
#define err(...) prog_err(__VA_ARGS__)
#define errx(...) prog_errx(__VA_ARGS__)
#define tmpfile() prog_tmpfile()
#endif

#endif

/*
 * prog.c: runs a filter's main (compiled with tests/fuzz/prog.h) once per
 * fuzz input, in the fuzzer's process, so libFuzzer keeps its coverage
 * feedback (a fork per input would blind it).
 *
 * Input: the bytes become the program's standard input, a memfd dup2()ed
 * onto fd 0 and read through stdin from its start; stdout goes to
 * /dev/null for the run (fd 1 is put back afterwards, replay prints to
 * it).  getopt is reset (optind = 0) before every run.
 *
 * exit()/err()/errx() in the filter's files longjmp back here.  What the
 * aborted run had allocated cannot be freed safely (the filter's pointers
 * are gone, and some blocks may belong to libc), so under ASan the blocks
 * a run allocated and did not free are tracked (the allocator's malloc and
 * free hooks) and, after an aborted run only, handed to LeakSanitizer as
 * known (no leak report) and counted: past ABORT_LEAK_MAX bytes in all, the
 * target aborts, a finding (memory that grows with the number of inputs:
 * the exit path must then clean up, or return instead).  The tmpfile()s of
 * an aborted run are closed.  A run that returns normally is checked by
 * LeakSanitizer like any other.  This state is the harness's, one per
 * process, as libFuzzer runs one input at a time.
 */
#define PROG_NO_REDIRECT
#include "prog.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ABORT_LEAK_MAX	((size_t)256 << 20)
#define TMPFILES_MAX	16

/* The sanitizer's interfaces, when there is one (weak: gcc without ASan). */
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *)) __attribute__((weak));
void __lsan_ignore_object(const void *p) __attribute__((weak));

struct live {
	const void *p;
	size_t n;
};

static struct {
	jmp_buf back;
	int running;		/* prog_exit may longjmp */
	int tracking;		/* the hooks record */
	int devnull, saved_out, in_fd;
	struct live *tab;	/* open addressing, p == NULL free, mmap()ed */
	size_t tabcap, tabused;
	size_t aborted_bytes;
	unsigned long exits;
	FILE *tmp[TMPFILES_MAX];
	int ntmp;
} H;

static size_t
slot(const void *p)
{
	uintptr_t x = (uintptr_t)p;

	x ^= x >> 17;
	x *= 0x9e3779b97f4a7c15u;
	return (size_t)(x >> 20) & (H.tabcap - 1);
}

static void
tab_put(const void *p, size_t n)
{
	size_t i;

	if ((H.tabused + 1) * 2 > H.tabcap) {
		/* grow: mmap, never malloc from inside the hook */
		struct live *old = H.tab;
		size_t oldcap = H.tabcap;

		H.tabcap = oldcap ? oldcap * 2 : 4096;
		H.tab = mmap(NULL, H.tabcap * sizeof(*H.tab),
		    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
		if (H.tab == MAP_FAILED)
			abort();
		H.tabused = 0;
		for (size_t k = 0; k < oldcap; k++)
			if (old[k].p != NULL) {
				for (i = slot(old[k].p); H.tab[i].p != NULL;
				    i = (i + 1) & (H.tabcap - 1))
					;
				H.tab[i] = old[k];
				H.tabused++;
			}
		if (old != NULL)
			munmap(old, oldcap * sizeof(*old));
	}
	for (i = slot(p); H.tab[i].p != NULL; i = (i + 1) & (H.tabcap - 1))
		;
	H.tab[i].p = p;
	H.tab[i].n = n;
	H.tabused++;
}

static void
tab_del(const void *p)
{
	size_t i, j;

	if (H.tabcap == 0)
		return;
	for (i = slot(p); H.tab[i].p != p; i = (i + 1) & (H.tabcap - 1))
		if (H.tab[i].p == NULL)
			return;		/* allocated before the run */
	/* backward-shift deletion keeps every probe chain whole */
	for (j = (i + 1) & (H.tabcap - 1); H.tab[j].p != NULL;
	    j = (j + 1) & (H.tabcap - 1)) {
		size_t home = slot(H.tab[j].p);

		if (((j - home) & (H.tabcap - 1)) >=
		    ((j - i) & (H.tabcap - 1))) {
			H.tab[i] = H.tab[j];
			i = j;
		}
	}
	H.tab[i].p = NULL;
	H.tabused--;
}

static void
on_malloc(const volatile void *p, size_t n)
{
	if (H.tracking && p != NULL)
		tab_put((const void *)p, n);
}

static void
on_free(const volatile void *p)
{
	if (H.tracking && p != NULL)
		tab_del((const void *)p);
}

static void
setup(void)
{
	static char inbuf[65536], outbuf[65536];

	if ((H.in_fd = memfd_create("prog-stdin", 0)) < 0 ||
	    dup2(H.in_fd, 0) < 0 ||
	    (H.devnull = open("/dev/null", O_WRONLY)) < 0 ||
	    (H.saved_out = dup(1)) < 0)
		abort();
	/* stdio's own buffers, so no run allocates (and is blamed for) them */
	setvbuf(stdin, inbuf, _IOFBF, sizeof(inbuf));
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (__sanitizer_install_malloc_and_free_hooks != NULL)
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

int
prog_run(char **argv, const uint8_t *data, size_t size)
{
	volatile int status;
	volatile int argc = 0;
	int jumped;
	char *args[32];

	if (H.devnull == 0)
		setup();
	/* copies: getopt permutes argv, a filter may write into optarg */
	while (argv[argc] != NULL && argc < 31) {
		if ((args[argc] = strdup(argv[argc])) == NULL)
			abort();
		argc++;
	}
	args[argc] = NULL;
	if (ftruncate(H.in_fd, 0) != 0 ||
	    (size > 0 && pwrite(H.in_fd, data, size, 0) != (ssize_t)size) ||
	    lseek(0, 0, SEEK_SET) != 0)
		abort();
	/* the last run's buffered bytes go (glibc's fseek keeps a buffer it
	 * thinks still holds the target), then a real seek to the start */
	__fpurge(stdin);
	clearerr(stdin);
	if (fseek(stdin, 0, SEEK_SET) != 0)
		abort();
	fflush(stdout);
	if (dup2(H.devnull, 1) < 0)
		abort();
	optind = 0;
	opterr = 1;
	H.ntmp = 0;
	H.tabused = 0;
	if (H.tab != NULL)
		memset(H.tab, 0, H.tabcap * sizeof(*H.tab));
	H.tracking = 1;
	H.running = 1;
	if ((jumped = setjmp(H.back)) == 0)
		status = prog_main(argc, args);
	else
		status = jumped - 1;
	H.running = 0;
	if (jumped) {
		H.exits++;
		for (int i = 0; i < H.ntmp; i++)
			fclose(H.tmp[i]);
	}
	H.tracking = 0;
	if (jumped && H.tab != NULL)
		for (size_t i = 0; i < H.tabcap; i++)
			if (H.tab[i].p != NULL) {
				H.aborted_bytes += H.tab[i].n;
				if (__lsan_ignore_object != NULL)
					__lsan_ignore_object(H.tab[i].p);
			}
	if (H.aborted_bytes > ABORT_LEAK_MAX) {
		fprintf(stderr, "prog: %zu bytes left behind by %lu runs that "
		    "exited: the exit path must free them\n", H.aborted_bytes,
		    H.exits);
		abort();
	}
	fflush(stdout);
	clearerr(stdout);
	if (dup2(H.saved_out, 1) < 0)
		abort();
	for (int i = 0; i < argc; i++)
		free(args[i]);
	return status;
}

int
prog_run_variant(char **const variants[], size_t n, const uint8_t *data,
    size_t size)
{
	if (size > 0 && data[0] < 8)
		return prog_run(variants[data[0] % n], data + 1, size - 1);
	return prog_run(variants[0], data, size);
}

unsigned long
prog_exits(void)
{
	return H.exits;
}

FILE *
prog_tmpfile(void)
{
	FILE *fp;

	if (H.ntmp == TMPFILES_MAX)
		return NULL;
	if ((fp = tmpfile()) != NULL)
		H.tmp[H.ntmp++] = fp;
	return fp;
}

noreturn void
prog_exit(int status)
{
	if (!H.running)
		exit(status);
	/* a filter's exit flushes stdout: its output is complete */
	fflush(stdout);
	longjmp(H.back, (status & 0xff) + 1);
}

noreturn void
prog_err(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	prog_exit(status);
}

noreturn void
prog_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	prog_exit(status);
}

/*
 * mvgroup: moves captures (and CSVs made from them) into one folder per
 * experiment batch, found by the files' start times.  Made to run from cron
 * on the only copy of a day's data: it never overwrites, never moves a file
 * still being written, and a run killed at any instant is finished by the
 * next one with nothing lost or duplicated.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atcsv.h"
#include "common.h"
#include "starttime.h"
#include "util.h"

#define SYNOPSIS "[-n] [-w SECONDS] [-T TEMPLATE] [--settle SECONDS] " \
		 "DEST [FILE...]"
#define OPTIONS \
    "  -n           dry run: print the moves, make none\n" \
    "  -w SECONDS   the batch window (30; 0: a batch per second)\n" \
    "  -T TEMPLATE  strftime(3) template of the batch folder\n" \
    "  --settle SECONDS  leave files modified this recently (60)\n"
#define LOCK_NAME ".mvgroup.lock"
#define PART_SUFFIX ".mvgroup-part"
#define COPY_BUF (1 << 20)

struct opts {
	int dry;		/* -n: say what would be done */
	long window;		/* -w: seconds from a batch's first file */
	long settle;		/* --settle: younger files are being written */
	const char *tmpl;	/* -T: strftime template of batch folders */
	const char *dest;	/* DEST as given, for messages and output */
	int destfd;
};

struct file {
	char *path;
	time_t start;		/* whole seconds: the batch names' resolution */
	time_t batch;		/* start time of its batch's first file */
	dev_t dir_dev;		/* the folder holding it, with its name: */
	ino_t dir_ino;		/* which directory entry it is */
	size_t arg;		/* its place among the names given */
};

/* Batches begun in this run (their folders may not exist yet with -n). */
struct batches {
	time_t *start;
	size_t n, cap;
};

enum outcome { MOVED, IDENTICAL, IN_PLACE, FAILED };

/* The last component of a path: a file's name in its folder. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static long
seconds_arg(const char *s, const char *what)
{
	return (long)opt_u64(what, s, 0, 10L * 365 * 86400,
	    "a number of seconds");
}

/* The batch folder for start time t, relative to DEST; 0 on success. */
static int
batch_name(const struct opts *o, time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	return strftime(buf, size, o->tmpl, &tm) == 0 ? -1 : 0;
}

/* A template must name a folder inside DEST. */
static void
check_template(const struct opts *o)
{
	char name[PATH_MAX], *comp, *save = NULL;

	if (batch_name(o, time(NULL), name, sizeof(name)) != 0 ||
	    name[0] == '/') {
		warnx("-T %s: does not give a relative folder name", o->tmpl);
		tk_usage(SYNOPSIS);
	}
	for (comp = strtok_r(name, "/", &save); comp != NULL;
	    comp = strtok_r(NULL, "/", &save))
		if (strcmp(comp, "..") == 0 || strcmp(comp, ".") == 0) {
			warnx("-T %s: '.' and '..' are not folder names",
			    o->tmpl);
			tk_usage(SYNOPSIS);
		}
}

static int
is_dir_at(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static int
begun_here(const struct batches *b, time_t s)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->start[i] == s)
			return 1;
	return 0;
}

/* A batch (of this run, or a folder of an earlier one) started at s? */
static int
is_batch(const struct opts *o, const struct batches *b, time_t s,
    char *last, size_t lastsize)
{
	char name[PATH_MAX];

	if (begun_here(b, s))
		return 1;
	if (batch_name(o, s, name, sizeof(name)) != 0)
		return 0;
	/* A coarse template names many seconds alike: look once. */
	if (strcmp(name, last) == 0)
		return 0;
	snprintf(last, lastsize, "%s", name);
	return is_dir_at(o->destfd, name);
}

/*
 * The batch of a file that started at t, files taken in order of start
 * time: the latest batch that began at most -w seconds before it (one of
 * this run, or a folder left by an earlier run, so files that arrive late
 * join their batch); else the earliest that begins at most -w seconds
 * after it; else a new batch begins at t.  A rerun after a crash thus puts
 * every file where the first run would have.  t is in 1970..2100
 * (lib/starttime) and -w at most ten years, so t - window and t + window
 * cannot overflow.
 */
static time_t
find_batch(const struct opts *o, struct batches *b, time_t t)
{
	char last[PATH_MAX] = "";

	for (time_t s = t; s >= t - o->window; s--)
		if (is_batch(o, b, s, last, sizeof(last)))
			return s;
	last[0] = '\0';
	for (time_t s = t + 1; s <= t + o->window; s++)
		if (is_batch(o, b, s, last, sizeof(last)))
			return s;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->start = ereallocarray(b->start, b->cap, sizeof(*b->start));
	}
	b->start[b->n++] = t;
	return t;
}

static int
by_start(const void *a, const void *b)
{
	const struct file *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int
fsync_dir(int dirfd, const char *what)
{
	if (fsync(dirfd) != 0) {
		warn("%s: fsync", what);
		return -1;
	}
	return 0;
}

/*
 * Creates DEST/name folder by folder (syncing each new one's parent so the
 * folder survives a crash) and returns an fd on it, or -1 after a message.
 */
static int
make_batch_dir(const struct opts *o, const char *name)
{
	char path[PATH_MAX];
	size_t len = strlen(name);

	if (len >= sizeof(path))
		return -1;
	memcpy(path, name, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdirat(o->destfd, path, 0755) == 0) {
			char *slash = strrchr(path, '/');
			int parent;

			if (slash == NULL) {
				parent = dup(o->destfd);
			} else {
				*slash = '\0';
				parent = openat(o->destfd, path,
				    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				*slash = '/';
			}
			if (parent >= 0) {
				fsync_dir(parent, o->dest);
				close(parent);
			}
		} else if (errno != EEXIST) {
			warn("%s/%s", o->dest, path);
			return -1;
		}
		if (i < len)
			path[i] = '/';
	}
	int fd = openat(o->destfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		warn("%s/%s", o->dest, name);
	return fd;
}

/* 1 when the two open files hold the same bytes, 0 if not, -1 on error. */
static int
same_bytes(int a, int b, const char *what)
{
	static const size_t chunk = 1 << 16;
	char *x = emalloc(2 * chunk), *y = x + chunk;
	int same = 1;

	for (;;) {
		ssize_t n = read(a, x, chunk), m;

		if (n < 0) {
			warn("%s", what);
			same = -1;
			break;
		}
		/* Both were checked to have the same size: read m == n. */
		for (m = 0; m < n;) {
			ssize_t k = read(b, y + m, (size_t)(n - m));

			if (k <= 0) {
				if (k < 0)
					warn("%s", what);
				same = k < 0 ? -1 : 0;
				goto out;
			}
			m += k;
		}
		if (n == 0 || memcmp(x, y, (size_t)n) != 0) {
			same = n == 0;
			break;
		}
	}
out:
	free(x);
	return same;
}

static int
same_file_contents(const char *src, int dirfd, const char *name,
    const char *target)
{
	struct stat a, b;
	int fa, fb, same = -1;

	if ((fa = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
		warn("%s", src);
		return -1;
	}
	if ((fb = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) < 0) {
		warn("%s", target);
		close(fa);
		return -1;
	}
	if (fstat(fa, &a) == 0 && fstat(fb, &b) == 0)
		same = a.st_size != b.st_size ? 0 : same_bytes(fa, fb, target);
	close(fa);
	close(fb);
	return same;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, buf, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * Across file systems: copy to a temporary name in the target folder, sync
 * it, rename it into place (atomic), sync the folder, and only then remove
 * the source.  Killed before the rename, the temporary is removed and the
 * copy redone by the next run; killed after it, the next run finds an
 * identical target and removes the source.
 */
static enum outcome
copy_across(const char *src, const struct stat *sst, int dirfd,
    const char *base, const char *target)
{
	char part[NAME_MAX + 1];
	struct stat before, after;
	struct timespec times[2];
	char *buf = NULL;
	int in = -1, out = -1;

	if (snprintf(part, sizeof(part), ".%s%s", base, PART_SUFFIX) >=
	    (int)sizeof(part)) {
		warnx("%s: name too long for a temporary copy", src);
		return FAILED;
	}
	/* A part file is what a killed copy left: start again. */
	if (unlinkat(dirfd, part, 0) != 0 && errno != ENOENT) {
		warn("%s: removing an old partial copy", target);
		return FAILED;
	}
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(in, &before) != 0) {
		warn("%s", src);
		goto fail;
	}
	out = openat(dirfd, part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
	if (out < 0) {
		warn("%s: creating a temporary copy", target);
		goto fail;
	}
	buf = emalloc(COPY_BUF);
	for (;;) {
		ssize_t n = read(in, buf, COPY_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warn("%s", src);
			goto fail_part;
		}
		if (n == 0)
			break;
		if (write_all(out, buf, (size_t)n) != 0) {
			warn("%s: writing a copy", target);
			goto fail_part;
		}
	}
	if (fstat(in, &after) != 0 || after.st_size != before.st_size ||
	    after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != before.st_mtim.tv_nsec) {
		warnx("%s: changed while being copied; left for a later run",
		    src);
		goto fail_part;
	}
	/* Keep mode and times: make(1) and --settle read the times. */
	times[0] = sst->st_atim;
	times[1] = sst->st_mtim;
	if (fchmod(out, sst->st_mode & 07777) != 0 ||
	    futimens(out, times) != 0 || fsync(out) != 0) {
		warn("%s: finishing a copy", target);
		goto fail_part;
	}
	if (close(out) != 0) {
		out = -1;
		warn("%s: writing a copy", target);
		goto fail_part;
	}
	out = -1;
	if (renameat2(dirfd, part, dirfd, base, RENAME_NOREPLACE) != 0) {
		warn("%s", target);
		goto fail_part;
	}
	if (fsync_dir(dirfd, target) != 0)
		goto fail;
	free(buf);
	close(in);
	if (unlink(src) != 0) {
		warn("%s: copied to %s, but removing it", src, target);
		return FAILED;
	}
	return MOVED;
fail_part:
	if (out >= 0)
		close(out);
	out = -1;
	unlinkat(dirfd, part, 0);
fail:
	free(buf);
	if (in >= 0)
		close(in);
	return FAILED;
}

/* Moves src into DEST/batch without ever replacing a file there. */
static enum outcome
move_file(const struct opts *o, const char *src, const char *batch,
    const char *target)
{
	const char *base = base_name(src);
	struct stat sst, tst;
	enum outcome res;
	int dirfd, same;

	if (lstat(src, &sst) != 0) {
		warn("%s", src);
		return FAILED;
	}
	if (o->dry) {
		dirfd = openat(o->destfd, batch,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return MOVED;
	} else if ((dirfd = make_batch_dir(o, batch)) < 0) {
		return FAILED;
	}
	if (fstatat(dirfd, base, &tst, AT_SYMLINK_NOFOLLOW) == 0) {
		if (tst.st_dev == sst.st_dev && tst.st_ino == sst.st_ino) {
			res = IN_PLACE;
			goto out;
		}
		same = same_file_contents(src, dirfd, base, target);
		if (same == 1) {
			warnx("%s: %s is already there with the same bytes; "
			    "%s the source", src, target,
			    o->dry ? "would remove" : "removed");
			if (!o->dry && unlink(src) != 0) {
				warn("%s", src);
				res = FAILED;
			} else
				res = IDENTICAL;
		} else {
			if (same == 0)
				warnx("%s: %s exists and differs; both kept",
				    src, target);
			res = FAILED;
		}
		goto out;
	} else if (errno != ENOENT) {
		warn("%s", target);
		res = FAILED;
		goto out;
	}
	if (o->dry) {
		res = MOVED;
		goto out;
	}
	if (renameat2(AT_FDCWD, src, dirfd, base, RENAME_NOREPLACE) == 0) {
		res = fsync_dir(dirfd, target) == 0 ? MOVED : FAILED;
	} else if (errno == EXDEV) {
		res = copy_across(src, &sst, dirfd, base, target);
	} else {
		warn("%s: moving to %s", src, target);
		res = FAILED;
	}
out:
	close(dirfd);
	return res;
}

/* Files named on the command line, or one a line on standard input. */
static char **
file_list(int argc, char **argv, size_t *count)
{
	char **list = NULL, *line = NULL;
	size_t n = 0, cap = 0, linecap = 0;
	ssize_t len;

	if (argc > 0) {
		*count = (size_t)argc;
		return argv;
	}
	while ((len = getline(&line, &linecap, stdin)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			list = ereallocarray(list, cap, sizeof(*list));
		}
		list[n++] = estrdup(line);
	}
	if (ferror(stdin))
		err(EXIT_DATA, "standard input");
	free(line);
	*count = n;
	return list;
}

/* mvgroup's lock and partial copies, met when DEST is inside the sources. */
static int
own_file(const char *path)
{
	const char *base = base_name(path);
	size_t len = strlen(base), slen = strlen(PART_SUFFIX);

	return strcmp(base, LOCK_NAME) == 0 || (base[0] == '.' &&
	    len > slen && strcmp(base + len - slen, PART_SUFFIX) == 0);
}

/* The folder holding path and the name in it: which entry it is; 0 or -1. */
static int
entry_of(const char *path, struct file *f)
{
	const char *slash = strrchr(path, '/');
	struct stat sb;
	char *dir;
	int rc;

	if (slash == NULL)
		dir = estrdup(".");
	else
		dir = estrndup(path, slash == path ? 1 : (size_t)(slash - path));
	if ((rc = stat(dir, &sb)) != 0)
		warn("%s", dir);
	else {
		f->dir_dev = sb.st_dev;
		f->dir_ino = sb.st_ino;
	}
	free(dir);
	return rc;
}

static int
by_entry(const void *a, const void *b)
{
	const struct file *x = a, *y = b;
	int c;

	if (x->dir_dev != y->dir_dev)
		return x->dir_dev < y->dir_dev ? -1 : 1;
	if (x->dir_ino != y->dir_ino)
		return x->dir_ino < y->dir_ino ? -1 : 1;
	if ((c = strcmp(base_name(x->path), base_name(y->path))) != 0)
		return c;
	return x->arg < y->arg ? -1 : x->arg > y->arg;
}

/*
 * A file named twice ("a a ./a") is moved once, under the name given
 * first: the second would find it gone.  Returns the files left.
 */
static size_t
drop_repeats(struct file *files, size_t n)
{
	size_t k = 0;

	qsort(files, n, sizeof(*files), by_entry);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && files[i].dir_dev == files[k - 1].dir_dev &&
		    files[i].dir_ino == files[k - 1].dir_ino &&
		    strcmp(base_name(files[i].path),
		    base_name(files[k - 1].path)) == 0)
			continue;
		files[k++] = files[i];
	}
	return k;
}

/*
 * Reads every file's start time; files that cannot be placed are reported
 * (and counted in *failed), files still being written are left for a
 * later run, mvgroup's own lock and partial copies are skipped, and a file
 * named twice is taken once.  Returns the files to move.
 */
static struct file *
collect(const struct opts *o, char **paths, size_t npaths, size_t *nfiles,
    int *failed)
{
	struct file *files = ereallocarray(NULL, npaths + 1, sizeof(*files));
	struct start_names *names = start_names_new();
	time_t now = time(NULL);
	size_t n = 0;

	for (size_t i = 0; i < npaths; i++) {
		struct start_time st;
		struct stat sb;
		int rc;

		if (own_file(paths[i]))
			continue;
		if (lstat(paths[i], &sb) != 0) {
			warn("%s", paths[i]);
			(*failed)++;
			continue;
		}
		if (!S_ISREG(sb.st_mode)) {
			warnx("%s: not a regular file; left", paths[i]);
			(*failed)++;
			continue;
		}
		if (sb.st_mtim.tv_sec > now - o->settle) {
			warnx("%s: modified %lds ago, within --settle %ld; "
			    "left for a later run", paths[i],
			    (long)(now - sb.st_mtim.tv_sec), o->settle);
			continue;
		}
		if (entry_of(paths[i], &files[n]) != 0) {
			(*failed)++;
			continue;
		}
		if ((rc = start_time_of(names, paths[i], &st)) != 0) {
			if (rc == -1 && st.rejected != START_NONE)
				warnx("%s: no start time: the time of its %s "
				    "(%.15g) is outside 1970..2100; left",
				    paths[i], start_source_name(st.rejected),
				    st.rejected_epoch);
			else if (rc == -1)
				warnx("%s: no start time (not a capture, no "
				    "time column, no date-time in the name); "
				    "left", paths[i]);
			(*failed)++;
			continue;
		}
		if (st.rejected != START_NONE)
			warnx("%s: the time of its %s (%.15g) is outside "
			    "1970..2100; placed by its %s", paths[i],
			    start_source_name(st.rejected), st.rejected_epoch,
			    start_source_name(st.source));
		if (st.cut_short)
			warnx("%s: last packet cut short (capture stopped "
			    "mid-write); taken as final", paths[i]);
		files[n].path = paths[i];
		files[n].start = st.sec;
		n++;
	}
	start_names_free(names);
	*nfiles = drop_repeats(files, n);
	return files;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "settle", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .window = 30, .settle = 60,
	    .tmpl = "%Y-%m-%d/%H%M%S" };
	struct batches batches = { NULL, 0, 0 };
	struct at_writer w;
	struct file *files;
	char **paths, dest[PATH_MAX];
	size_t npaths, nfiles, dlen;
	int ch, failed = 0, lockfd = -1;

	tk_std_options(argc, argv, SYNOPSIS, OPTIONS);
	while ((ch = getopt_long(argc, argv, "nw:T:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o.dry = 1;
			break;
		case 'w':
			o.window = seconds_arg(optarg, "-w");
			break;
		case 'T':
			o.tmpl = optarg;
			break;
		case 's':
			o.settle = seconds_arg(optarg, "--settle");
			break;
		default:
			tk_usage(SYNOPSIS);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		tk_usage(SYNOPSIS);
	check_template(&o);

	/* DEST without trailing slashes, for the paths it prints. */
	dlen = strlen(argv[0]);
	while (dlen > 1 && argv[0][dlen - 1] == '/')
		dlen--;
	if (dlen >= sizeof(dest))
		errx(EXIT_DATA, "%s: name too long", argv[0]);
	memcpy(dest, argv[0], dlen);
	dest[dlen] = '\0';
	o.dest = dest;
	if ((o.destfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		err(EXIT_DATA, "%s", dest);
	/* One run at a time per DEST; a second refuses rather than queue. */
	if (!o.dry) {
		lockfd = openat(o.destfd, LOCK_NAME,
		    O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (lockfd < 0)
			err(EXIT_DATA, "%s/%s", dest, LOCK_NAME);
		if (flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
			if (errno == EWOULDBLOCK)
				errx(EXIT_DATA, "%s: another mvgroup is "
				    "moving files there; nothing done", dest);
			err(EXIT_DATA, "%s/%s", dest, LOCK_NAME);
		}
	}

	paths = file_list(argc - 1, argv + 1, &npaths);
	files = collect(&o, paths, npaths, &nfiles, &failed);
	qsort(files, nfiles, sizeof(*files), by_start);
	for (size_t i = 0; i < nfiles; i++)
		files[i].batch = find_batch(&o, &batches, files[i].start);

	at_writer_init(&w, stdout);
	at_put(&w, "batch");
	at_put(&w, "from");
	at_put(&w, "to");
	at_end(&w);
	for (size_t i = 0; i < nfiles; i++) {
		char batch[PATH_MAX], target[3 * PATH_MAX];
		const char *base = base_name(files[i].path);
		enum outcome res;

		if (batch_name(&o, files[i].batch, batch, sizeof(batch)) != 0) {
			warnx("%s: no batch name for its start time",
			    files[i].path);
			failed++;
			continue;
		}
		snprintf(target, sizeof(target), "%s/%s/%s", dest, batch, base);
		res = move_file(&o, files[i].path, batch, target);
		if (res == FAILED) {
			failed++;
			continue;
		}
		if (res == IN_PLACE)
			continue;
		at_put(&w, batch);
		at_put(&w, files[i].path);
		at_put(&w, target);
		at_end(&w);
		/* A log shows every move done before a kill. */
		at_flush(&w);
	}
	if (at_flush(&w) != 0) {
		warn("standard output");
		failed++;
	}
	at_writer_free(&w);
	if (paths != argv + 1) {
		for (size_t i = 0; i < npaths; i++)
			free(paths[i]);
		free(paths);
	}
	free(files);
	free(batches.start);
	if (lockfd >= 0)
		close(lockfd);
	close(o.destfd);
	return failed ? EXIT_DATA : 0;
}

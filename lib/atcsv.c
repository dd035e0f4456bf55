#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"


/* One parsed row: NUL-terminated fields stored back to back in buf. */
struct at_row {
	char *buf;
	size_t len, cap;
	size_t *off;
	size_t nf, fcap;
	size_t line;
};

struct at_reader {
	FILE *fp;
	const char *name;
	struct csv_parser csv;
	char *line;
	size_t linecap;
	size_t lineno;		/* lines fed to the parser so far */
	int eof;
	struct at_row hdr;
	struct at_row *rows;	/* rows parsed, waiting to be handed out */
	size_t nrows, head, rowcap;
	struct at_row *cur;
	int in_row;		/* a row has fields but no terminator yet */
	int csv_open;		/* libcsv holds part of a row (quoted newline) */
};

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL) {
		fprintf(stderr, "%s: out of memory\n",
		    program_invocation_short_name);
		exit(1);
	}
	return q;
}

static void
row_clear(struct at_row *row)
{
	row->len = 0;
	row->nf = 0;
}

static void
row_add(struct at_row *row, const char *s, size_t n)
{
	if (row->len + n + 1 > row->cap) {
		row->cap = (row->len + n + 1) * 2;
		row->buf = xrealloc(row->buf, row->cap);
	}
	if (row->nf == row->fcap) {
		row->fcap = row->fcap ? row->fcap * 2 : 32;
		row->off = xrealloc(row->off, row->fcap * sizeof(*row->off));
	}
	row->off[row->nf++] = row->len;
	if (n > 0)
		memcpy(row->buf + row->len, s, n);
	row->buf[row->len + n] = '\0';
	row->len += n + 1;
}

static struct at_row *
tail_row(struct at_reader *r)
{
	if (r->nrows == r->rowcap) {
		size_t old = r->rowcap;

		r->rowcap = old ? old * 2 : 4;
		r->rows = xrealloc(r->rows, r->rowcap * sizeof(*r->rows));
		memset(r->rows + old, 0, (r->rowcap - old) * sizeof(*r->rows));
	}
	return &r->rows[r->nrows];
}

static void
on_field(void *s, size_t n, void *data)
{
	struct at_reader *r = data;
	struct at_row *row = tail_row(r);

	if (!r->in_row) {
		row_clear(row);
		row->line = r->lineno;
		r->in_row = 1;
	}
	row_add(row, s ? s : "", s ? n : 0);
}

static void
on_row(int c, void *data)
{
	struct at_reader *r = data;

	(void)c;
	if (!r->in_row)
		return;
	r->in_row = 0;
	r->nrows++;
}

/* Spaces are data here: tshark's frame.time has them and so may labels. */
static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
vwarn_at(const char *name, size_t line, const char *fmt, va_list ap)
{
	fflush(stdout);
	if (name != NULL)
		fprintf(stderr, "%s: %s:%zu: ", program_invocation_short_name,
		    name, line);
	else
		fprintf(stderr, "%s: line %zu: ", program_invocation_short_name,
		    line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void
warn_at(const char *name, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(name, line, fmt, ap);
	va_end(ap);
}

/*
 * A line with no quote and no bare CR, read while libcsv holds nothing, is
 * split on '@' directly: libcsv would give the very same fields, only it
 * spends most of a filter's time doing so on pcap2csv's long hex payloads.
 * Everything else (quoted fields, rows spanning lines) goes to libcsv.
 */
static int
split_plain(struct at_reader *r, const char *s, size_t n)
{
	struct at_row *row;

	if (r->csv_open || memchr(s, '"', n) != NULL)
		return 0;
	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (memchr(s, '\r', n) != NULL)
		return 0;
	if (n == 0)
		return 1;	/* libcsv skips blank lines too */
	row = tail_row(r);
	row_clear(row);
	row->line = r->lineno;
	for (;;) {
		const char *at = memchr(s, AT_SEP, n);
		size_t len = at ? (size_t)(at - s) : n;

		row_add(row, s, len);
		if (at == NULL)
			break;
		s += len + 1;
		n -= len + 1;
	}
	r->nrows++;
	return 1;
}

/* Feeds lines until a row is queued or input ends: 1, 0 at end, -1 error. */
static int
fill(struct at_reader *r)
{
	while (r->head == r->nrows) {
		ssize_t n;

		r->head = r->nrows = 0;
		if (r->eof)
			return 0;
		n = getline(&r->line, &r->linecap, r->fp);
		if (n < 0) {
			if (ferror(r->fp)) {
				warn_at(r->name, r->lineno + 1, "read error: %s",
				    strerror(errno));
				return -1;
			}
			r->eof = 1;
			if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
				warn_at(r->name, r->lineno, "%s",
				    csv_strerror(csv_error(&r->csv)));
				return -1;
			}
			continue;
		}
		r->lineno++;
		if (split_plain(r, r->line, (size_t)n))
			continue;
		size_t before = r->nrows;
		if (csv_parse(&r->csv, r->line, (size_t)n, on_field, on_row,
		    r) != (size_t)n) {
			warn_at(r->name, r->lineno, "%s",
			    csv_strerror(csv_error(&r->csv)));
			return -1;
		}
		/* Rows end only at a line's end, so none ended here means
		 * libcsv is inside a quoted field that goes on. */
		r->csv_open = r->nrows == before;
	}
	return 1;
}

struct at_reader *
at_reader_open(FILE *fp, const char *name)
{
	struct at_reader *r = calloc(1, sizeof(*r));
	int rc;

	if (r == NULL)
		return NULL;
	r->fp = fp;
	r->name = name;
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		return NULL;
	}
	csv_set_delim(&r->csv, AT_SEP);
	csv_set_space_func(&r->csv, never_space);
	rc = fill(r);
	if (rc <= 0) {
		if (rc == 0)
			warn_at(r->name, 1, "empty input: no header line");
		at_reader_free(r);
		return NULL;
	}
	/* Swap the first row into the header slot. */
	struct at_row tmp = r->hdr;
	r->hdr = r->rows[r->head];
	r->rows[r->head] = tmp;
	r->head++;
	return r;
}

void
at_reader_free(struct at_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->csv);
	for (size_t i = 0; i < r->rowcap; i++) {
		free(r->rows[i].buf);
		free(r->rows[i].off);
	}
	free(r->rows);
	free(r->hdr.buf);
	free(r->hdr.off);
	free(r->line);
	free(r);
}

size_t
at_ncols(const struct at_reader *r)
{
	return r->hdr.nf;
}

const char *
at_colname(const struct at_reader *r, size_t col)
{
	return col < r->hdr.nf ? r->hdr.buf + r->hdr.off[col] : NULL;
}

int
at_col(const struct at_reader *r, const char *name)
{
	for (size_t i = 0; i < r->hdr.nf; i++)
		if (strcmp(r->hdr.buf + r->hdr.off[i], name) == 0)
			return (int)i;
	return -1;
}

int
at_next(struct at_reader *r)
{
	int rc;

	r->cur = NULL;
	rc = fill(r);
	if (rc <= 0)
		return rc;
	r->cur = &r->rows[r->head++];
	if (r->cur->nf != r->hdr.nf) {
		at_warn(r, "%zu fields, the header has %zu", r->cur->nf,
		    r->hdr.nf);
		return -1;
	}
	return 1;
}

const char *
at_get(const struct at_reader *r, int col)
{
	if (col < 0 || r->cur == NULL || (size_t)col >= r->cur->nf)
		return "";
	return r->cur->buf + r->cur->off[col];
}

size_t
at_line(const struct at_reader *r)
{
	return r->cur ? r->cur->line : r->lineno;
}

void
at_warn(const struct at_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(r->name, at_line(r), fmt, ap);
	va_end(ap);
}

static int
bad_number(const struct at_reader *r, int col, const char *kind)
{
	at_warn(r, "%s: '%s' is not %s", at_colname(r, (size_t)col),
	    at_get(r, col), kind);
	return -1;
}

int
at_get_double(const struct at_reader *r, int col, double *out)
{
	const char *s = at_get(r, col);
	char *end;

	if (*s == '\0')
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || end == s)
		return bad_number(r, col, "a number");
	return 1;
}

int
at_get_u64(const struct at_reader *r, int col, uint64_t *out)
{
	const char *s = at_get(r, col);
	char *end;

	if (*s == '\0')
		return 0;
	if (*s == '-' || *s == '+' || *s == ' ')
		return bad_number(r, col, "an unsigned integer");
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (*end != '\0' || errno == ERANGE)
		return bad_number(r, col, "an unsigned integer");
	return 1;
}

int
at_get_i64(const struct at_reader *r, int col, int64_t *out)
{
	const char *s = at_get(r, col);
	char *end;

	if (*s == '\0')
		return 0;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (*end != '\0' || errno == ERANGE || *s == ' ')
		return bad_number(r, col, "an integer");
	return 1;
}

int
at_require(const struct at_reader *r, const char *const *names)
{
	char msg[1024];
	size_t len = 0;
	int missing = 0;

	msg[0] = '\0';
	for (; *names != NULL; names++) {
		if (at_col(r, *names) >= 0)
			continue;
		missing++;
		len += (size_t)snprintf(msg + len,
		    len < sizeof(msg) ? sizeof(msg) - len : 0, "%s%s",
		    missing > 1 ? ", " : "", *names);
		if (len >= sizeof(msg))
			len = sizeof(msg) - 1;
	}
	if (missing == 0)
		return 0;
	warn_at(r->name, 1, "missing column%s: %s", missing > 1 ? "s" : "",
	    msg);
	return -1;
}

void
at_writer_init(struct at_writer *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
}

void
at_writer_free(struct at_writer *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

static void
reserve(struct at_writer *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
	w->cap = (w->len + n) * 2 + 64;
	w->buf = xrealloc(w->buf, w->cap);
}

static void
sep(struct at_writer *w)
{
	if (w->ncol++ > 0) {
		reserve(w, 1);
		w->buf[w->len++] = AT_SEP;
	}
}

void
at_putn(struct at_writer *w, const char *s, size_t n)
{
	sep(w);
	if (memchr(s, AT_SEP, n) == NULL && memchr(s, '"', n) == NULL &&
	    memchr(s, '\n', n) == NULL && memchr(s, '\r', n) == NULL) {
		reserve(w, n);
		if (n > 0)	/* an empty first field: buf may still be NULL */
			memcpy(w->buf + w->len, s, n);
		w->len += n;
		return;
	}
	reserve(w, 2 * n + 2);
	w->buf[w->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			w->buf[w->len++] = '"';
		w->buf[w->len++] = s[i];
	}
	w->buf[w->len++] = '"';
}

char *
at_field(struct at_writer *w, size_t n)
{
	char *p;

	sep(w);
	reserve(w, n);
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void
at_put(struct at_writer *w, const char *s)
{
	at_putn(w, s, strlen(s));
}

void
at_putf(struct at_writer *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	sep(w);
	reserve(w, 64);
	for (;;) {
		size_t room = w->cap - w->len;

		va_start(ap, fmt);
		n = vsnprintf(w->buf + w->len, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room)
			break;
		reserve(w, (size_t)n + 1);
	}
	w->len += (size_t)n;
}

void
at_writer_batch(struct at_writer *w, size_t bytes)
{
	w->batch = bytes;
}

/* Hands the whole rows held to stdio. */
static int
put_rows(struct at_writer *w)
{
	size_t n = w->row;

	if (n == 0)
		return 0;
	w->row = 0;
	w->len = 0;
	return fwrite(w->buf, 1, n, w->fp) == n ? 0 : -1;
}

int
at_end(struct at_writer *w)
{
	reserve(w, 1);
	w->buf[w->len++] = '\n';
	w->row = w->len;
	w->ncol = 0;
	if (w->len < w->batch)
		return 0;
	return put_rows(w);
}

int
at_flush(struct at_writer *w)
{
	if (put_rows(w) != 0 || fflush(w->fp) != 0 || ferror(w->fp))
		return -1;
	return 0;
}

#include <arpa/inet.h>
#include <csv.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "common.h"
#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif


/* One parsed row: NUL-terminated fields stored back to back in buf. */
struct at_row {
	char *buf;
	size_t len, cap;
	size_t *off;
	size_t nf, fcap;
	size_t line;
};

/*
 * Where libcsv stands, followed over the lines fed to it: it says neither
 * whether a quoted field is still open at a line's end (a bare CR ends a
 * row, so a line may end a row and open a quote) nor on which line it began.
 */
enum quote_state {
	Q_START,		/* at a field's start */
	Q_PLAIN,		/* in an unquoted field */
	Q_IN,			/* in a quoted field */
	Q_QUOTE			/* a quote in a quoted field: "" or the end */
};

#define MAGIC_LEN 4
#define AT_READ_BUFSIZE (1 << 18)

struct at_reader {
	/* the operands, read one after another */
	FILE **fps;
	char **names;		/* "stdin" for standard input */
	size_t nfiles, fi;	/* files, and the one being read */
	int own;		/* opened here: closed by at_reader_free */
	char **iobufs;		/* their stdio buffers, freed after fclose */
	FILE *fp;
	const char *name;
	struct csv_parser csv;
	char *line;
	size_t linecap;
	size_t lineno;		/* lines fed to the parser so far */
	int eof;
	struct at_row hdr;	/* the first file's header: the columns */
	int have_hdr;
	size_t hdr_fi;		/* the file it came from */
	struct at_row fhdr;	/* a later file's header */
	size_t *map;		/* its column for each of hdr's; NULL: same */
	size_t nf;		/* fields in a row of the file being read */
	struct at_row *rows;	/* rows parsed, waiting to be handed out */
	size_t nrows, head, rowcap;
	struct at_row *cur;
	int in_row;		/* a row has fields but no terminator yet */
	int csv_open;		/* libcsv holds part of a row (quoted newline) */
	enum quote_state qstate;
	size_t qline;		/* where the open quoted field began */
	/* the first bytes of the file being read, and of hdr's file */
	unsigned char magic[MAGIC_LEN], hdr_magic[MAGIC_LEN];
	size_t nmagic, hdr_nmagic;
};

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
		row->buf = ereallocarray(row->buf, row->cap, 1);
	}
	if (row->nf == row->fcap) {
		row->fcap = row->fcap ? row->fcap * 2 : 32;
		row->off = ereallocarray(row->off, row->fcap, sizeof(*row->off));
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
		r->rows = ereallocarray(r->rows, r->rowcap, sizeof(*r->rows));
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
	fprintf(stderr, "%s: %s:%zu: ", program_invocation_short_name, name,
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
 * What a file that starts with these bytes is when it is not text: a
 * capture or a compressed file given to a CSV filter by mistake.  A hint
 * to append to a message ("; ..."), or "".
 */
static const char *
binary_hint(const unsigned char *m, size_t n)
{
#define CAPTURE_HINT(kind) "; this looks like a " kind " capture, not '@' " \
	"CSV: convert it with pcap2csv first"
	static const struct {
		unsigned char magic[MAGIC_LEN];
		size_t len;
		const char *hint;
	} kinds[] = {
		{ { 0xd4, 0xc3, 0xb2, 0xa1 }, 4, CAPTURE_HINT("pcap") },
		{ { 0xa1, 0xb2, 0xc3, 0xd4 }, 4, CAPTURE_HINT("pcap") },
		{ { 0x4d, 0x3c, 0xb2, 0xa1 }, 4, CAPTURE_HINT("pcap") },
		{ { 0xa1, 0xb2, 0x3c, 0x4d }, 4, CAPTURE_HINT("pcap") },
		{ { 0x0a, 0x0d, 0x0d, 0x0a }, 4, CAPTURE_HINT("pcapng") },
		{ { 0x1f, 0x8b }, 2, "; this looks gzip-compressed: pcap2csv "
		  "reads a compressed capture, zcat a compressed CSV" },
	};
#undef CAPTURE_HINT

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (n >= kinds[i].len &&
		    memcmp(m, kinds[i].magic, kinds[i].len) == 0)
			return kinds[i].hint;
	return "";
}

/* A field that is a value rather than a name: a number, an address. */
static int
value_like(const char *s)
{
	unsigned char addr[16];
	double d;
	uint64_t u;

	return *s == '\0' ||
	    num_double(s, -HUGE_VAL, HUGE_VAL, &d) == NUM_OK ||
	    num_hex(s, UINT64_MAX, &u) == NUM_OK ||
	    inet_pton(AF_INET, s, addr) == 1 ||
	    inet_pton(AF_INET6, s, addr) == 1;
}

/*
 * Why a file's first line may not be the header the program wants, for the
 * message that says a column is missing: the file is binary, its fields are
 * separated by tabs or commas, or the line is data (no header at all).
 */
static const char *
header_hint(const unsigned char *magic, size_t nmagic,
    const struct at_row *hdr)
{
	const char *hint = binary_hint(magic, nmagic);
	size_t values = 0;

	if (*hint != '\0')
		return hint;
	for (size_t c = 0; c < hdr->nf; c++)
		if (strchr(hdr->buf + hdr->off[c], '\t') != NULL)
			return "; the first line is tab-separated: the fields "
			    "of the stream are separated by '@' (as tshark "
			    "-E separator=@ writes them)";
	if (hdr->nf == 1 && strchr(hdr->buf, ',') != NULL)
		return "; the first line is comma-separated: the fields of "
		    "the stream are separated by '@' (as tshark "
		    "-E separator=@ writes them)";
	for (size_t c = 0; c < hdr->nf; c++)
		values += value_like(hdr->buf + hdr->off[c]);
	if (values > 0 && 2 * values >= hdr->nf)
		return "; the first line looks like data, not a header line "
		    "of column names (made with pcap2csv -H, or tshark "
		    "without -E header=y?)";
	return "";
}

/*
 * Follows libcsv through s: whether a quoted field is open at its end, and
 * the line it began on.  Malformed quoting leaves any state: libcsv stops
 * there with an error.
 */
static void
track_quotes(struct at_reader *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int end = s[i] == AT_SEP || s[i] == '\r' || s[i] == '\n';

		switch (r->qstate) {
		case Q_START:
			if (s[i] == '"') {
				r->qstate = Q_IN;
				r->qline = r->lineno;
			} else if (!end)
				r->qstate = Q_PLAIN;
			break;
		case Q_PLAIN:
			if (end)
				r->qstate = Q_START;
			break;
		case Q_IN:
			if (s[i] == '"')
				r->qstate = Q_QUOTE;
			break;
		case Q_QUOTE:
			r->qstate = s[i] == '"' ? Q_IN :
			    end ? Q_START : Q_PLAIN;
			break;
		}
	}
}

/*
 * A bit for each of the 16 bytes at s[0..n) (n <= 16) that is special:
 * '@', '"', CR, LF or NUL, what ends a field on the plain path or takes a
 * line (or a field written) off it.  One pass over a line finds them all.
 */
static inline unsigned
special_mask16(const char *s, size_t n)
{
#ifdef __SSE2__
	char pad[16];
	__m128i c, m;

	if (n < 16) {
		memset(pad, 'x', sizeof(pad));
		memcpy(pad, s, n);
		s = pad;
	}
	c = _mm_loadu_si128((const __m128i *)(const void *)s);
	m = _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8(AT_SEP)),
	    _mm_cmpeq_epi8(c, _mm_set1_epi8('"'))),
	    _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('\r')),
	    _mm_cmpeq_epi8(c, _mm_set1_epi8('\n'))),
	    _mm_cmpeq_epi8(c, _mm_setzero_si128())));
	return (unsigned)_mm_movemask_epi8(m);
#else
	static const uint8_t special[256] = {
		[AT_SEP] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1, ['\0'] = 1,
	};
	unsigned m = 0;

	for (size_t i = 0; i < n; i++)
		m |= (unsigned)special[(unsigned char)s[i]] << i;
	return m;
#endif
}

/*
 * A line with no quote, no bare CR and no NUL, read while libcsv holds
 * nothing, is split on '@' directly: libcsv would give the very same
 * fields, only it spends most of a filter's time doing so on pcap2csv's long
 * hex payloads.  One pass, 16 bytes at a time, finds the separators and
 * whatever else sends the line to libcsv (or, a NUL, to fill's message).
 */
static int
split_plain(struct at_reader *r, size_t n)
{
	char *s = r->line, *buf;
	struct at_row *row;
	size_t cap;

	if (r->csv_open)
		return 0;
	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n == 0)
		return 1;	/* libcsv skips blank lines too */
	row = tail_row(r);
	row_clear(row);
	row->line = r->lineno;
	if (row->fcap == 0) {
		row->fcap = 32;
		row->off = ereallocarray(NULL, row->fcap, sizeof(*row->off));
	}
	row->off[row->nf++] = 0;
	for (size_t b = 0; b < n; b += 16) {
		unsigned m = special_mask16(s + b, n - b < 16 ? n - b : 16);

		for (; m != 0; m &= m - 1) {
			size_t k = b + (size_t)__builtin_ctz(m);

			if (s[k] != AT_SEP)
				return 0;	/* nothing changed yet */
			if (row->nf == row->fcap) {
				row->fcap *= 2;
				row->off = ereallocarray(row->off, row->fcap,
				    sizeof(*row->off));
			}
			row->off[row->nf++] = k + 1;
		}
	}
	/* the fields in place: the separators become NULs, no copy */
	for (size_t f = 1; f < row->nf; f++)
		s[row->off[f] - 1] = '\0';
	s[n] = '\0';
	row->len = n + 1;
	/* the row keeps the line; the next line goes to its old buffer */
	buf = row->buf;
	cap = row->cap;
	row->buf = r->line;
	row->cap = r->linecap;
	r->line = buf;
	r->linecap = cap;
	r->nrows++;
	return 1;
}

static int next_file(struct at_reader *r);

/* Feeds lines until a row is queued or input ends: 1, 0 at end, -1 error. */
static int
fill(struct at_reader *r)
{
	while (r->head == r->nrows) {
		ssize_t n;

		r->head = r->nrows = 0;
		if (r->eof) {
			int rc = next_file(r);

			if (rc <= 0)
				return rc;
			continue;
		}
		n = getline(&r->line, &r->linecap, r->fp);
		if (n < 0) {
			if (ferror(r->fp)) {
				warn_at(r->name, r->lineno + 1, "read error: %s",
				    strerror(errno));
				return -1;
			}
			r->eof = 1;
			if (r->qstate == Q_IN) {
				/* where the field began, not where input ends */
				warn_at(r->name, r->qline, "a quoted field "
				    "that begins here never ends%s",
				    binary_hint(r->magic, r->nmagic));
				return -1;
			}
			if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
				warn_at(r->name, r->lineno, "%s%s",
				    csv_strerror(csv_error(&r->csv)),
				    binary_hint(r->magic, r->nmagic));
				return -1;
			}
			continue;
		}
		r->lineno++;
		for (ssize_t i = 0; i < n && r->nmagic < MAGIC_LEN; i++)
			r->magic[r->nmagic++] = (unsigned char)r->line[i];
		/* a plain line has no NUL: split_plain looks for one */
		if (split_plain(r, (size_t)n))
			continue;
		if (memchr(r->line, '\0', (size_t)n) != NULL) {
			/* it would cut a field short without a word */
			warn_at(r->name, r->lineno, "a NUL byte in the line%s",
			    binary_hint(r->magic, r->nmagic));
			return -1;
		}
		if (csv_parse(&r->csv, r->line, (size_t)n, on_field, on_row,
		    r) != (size_t)n) {
			warn_at(r->name, r->lineno, "%s%s",
			    csv_strerror(csv_error(&r->csv)),
			    binary_hint(r->magic, r->nmagic));
			return -1;
		}
		track_quotes(r, r->line, (size_t)n);
		r->csv_open = r->qstate == Q_IN;
	}
	return 1;
}

static int
parser_init(struct at_reader *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_delim(&r->csv, AT_SEP);
	csv_set_space_func(&r->csv, never_space);
	return 0;
}

/*
 * The columns of a later file: each of the first file's must be there, in
 * any order; 0, or -1 after a message.
 */
static int
map_header(struct at_reader *r)
{
	char msg[512];
	size_t len = 0, missing = 0;

	free(r->map);
	r->map = ereallocarray(NULL, r->hdr.nf, sizeof(*r->map));
	msg[0] = '\0';
	for (size_t c = 0; c < r->hdr.nf; c++) {
		const char *name = r->hdr.buf + r->hdr.off[c];
		size_t k;

		for (k = 0; k < r->fhdr.nf; k++)
			if (strcmp(r->fhdr.buf + r->fhdr.off[k], name) == 0)
				break;
		r->map[c] = k;
		if (k < r->fhdr.nf)
			continue;
		if (missing++ > 0 && len < sizeof(msg))
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			    ", ");
		if (len < sizeof(msg))
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			    "%s", name);
	}
	if (missing > 0) {
		warn_at(r->name, 1, "missing column%s of %s: %s%s",
		    missing > 1 ? "s" : "", r->names[r->hdr_fi], msg,
		    header_hint(r->magic, r->nmagic, &r->fhdr));
		return -1;
	}
	r->nf = r->fhdr.nf;
	return 0;
}

/* Takes the row just parsed as a header: into *dst. */
static void
take_header(struct at_reader *r, struct at_row *dst)
{
	struct at_row tmp = *dst;

	*dst = r->rows[r->head];
	r->rows[r->head] = tmp;
	r->head++;
}

/*
 * At the end of a file, goes on with the next one and reads its header:
 * 1 when rows may follow, 0 when no file is left, -1 after a message.
 */
static int
next_file(struct at_reader *r)
{
	int rc;

	if (r->fi + 1 >= r->nfiles)
		return 0;
	r->fi++;
	r->fp = r->fps[r->fi];
	r->name = r->names[r->fi];
	r->lineno = 0;
	r->eof = 0;
	r->csv_open = 0;
	r->qstate = Q_START;
	r->nmagic = 0;
	csv_free(&r->csv);
	if (parser_init(r) != 0)
		errx(EXIT_DATA, "out of memory");
	if (!r->have_hdr)
		return 1;	/* the first header is still to come */
	rc = fill(r);
	if (rc <= 0)
		return rc;	/* an empty file: nothing in it */
	take_header(r, &r->fhdr);
	if (map_header(r) != 0)
		return -1;
	return 1;
}

static struct at_reader *
reader_start(struct at_reader *r)
{
	int rc;

	r->fp = r->fps[0];
	r->name = r->names[0];
	if (parser_init(r) != 0)
		errx(EXIT_DATA, "out of memory");
	rc = fill(r);
	if (rc <= 0) {
		if (rc == 0)
			warn_at(r->name, 1, "empty input: no header line");
		at_reader_free(r);
		return NULL;
	}
	take_header(r, &r->hdr);
	r->have_hdr = 1;
	r->hdr_fi = r->fi;
	memcpy(r->hdr_magic, r->magic, sizeof(r->magic));
	r->hdr_nmagic = r->nmagic;
	r->nf = r->hdr.nf;
	return r;
}

struct at_reader *
at_reader_open(FILE *fp, const char *name)
{
	struct at_reader *r = ecalloc(1, sizeof(*r));

	r->nfiles = 1;
	r->fps = ecalloc(1, sizeof(*r->fps));
	r->names = ecalloc(1, sizeof(*r->names));
	r->fps[0] = fp;
	r->names[0] = estrdup(name != NULL ? name : "stdin");
	return reader_start(r);
}

struct at_reader *
at_reader_files(char *const *files, size_t nfiles)
{
	static char *const dash[] = { "-" };
	struct at_reader *r = ecalloc(1, sizeof(*r));

	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	r->own = 1;
	r->nfiles = nfiles;
	r->fps = ecalloc(nfiles, sizeof(*r->fps));
	r->names = ecalloc(nfiles, sizeof(*r->names));
	/* every file opened first: a missing one fails before any output */
	for (size_t i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") == 0) {
			r->fps[i] = stdin;
			r->names[i] = estrdup("stdin");
			continue;
		}
		r->names[i] = estrdup(files[i]);
		if ((r->fps[i] = fopen(files[i], "r")) == NULL) {
			warn("%s", files[i]);
			at_reader_free(r);
			return NULL;
		}
	}
	/*
	 * Reads of a pipe or file in big blocks: stdio's own 4 kB are one
	 * read(2) per 4 kB of pcap2csv's output.  Standard input, itself
	 * the process's, gets its buffer once and keeps it to exit (stdio
	 * may still use it after at_reader_free): the one static here, so
	 * that a second reader of stdin (the fuzz harness runs a filter many
	 * times) neither allocates nor loses another.
	 */
	static char *stdin_buf;

	r->iobufs = ecalloc(nfiles, sizeof(*r->iobufs));
	for (size_t i = 0; i < nfiles; i++) {
		char *buf;

		if (r->fps[i] == stdin && stdin_buf != NULL)
			continue;
		buf = ereallocarray(NULL, AT_READ_BUFSIZE, 1);
		if (setvbuf(r->fps[i], buf, _IOFBF, AT_READ_BUFSIZE) != 0)
			free(buf);
		else if (r->fps[i] == stdin)
			stdin_buf = buf;
		else
			r->iobufs[i] = buf;
	}
	return reader_start(r);
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
	for (size_t i = 0; i < r->nfiles; i++) {
		if (r->own && r->fps[i] != NULL && r->fps[i] != stdin)
			fclose(r->fps[i]);
		if (r->iobufs != NULL)
			free(r->iobufs[i]);
		free(r->names[i]);
	}
	free(r->fps);
	free(r->iobufs);
	free(r->names);
	free(r->rows);
	free(r->hdr.buf);
	free(r->hdr.off);
	free(r->fhdr.buf);
	free(r->fhdr.off);
	free(r->map);
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
	if (r->cur->nf != r->nf) {
		at_warn(r, "%zu fields, the header has %zu", r->cur->nf,
		    r->nf);
		return -1;
	}
	return 1;
}

const char *
at_get(const struct at_reader *r, int col)
{
	size_t c = (size_t)col;

	if (col < 0 || r->cur == NULL || c >= r->hdr.nf)
		return "";
	if (r->map != NULL)
		c = r->map[c];
	return r->cur->buf + r->cur->off[c];
}

const char *
at_file(const struct at_reader *r)
{
	return r->name;
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

void
at_warn_header(const struct at_reader *r, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: %s:1: ", program_invocation_short_name,
	    r->names[r->hdr_fi]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", header_hint(r->hdr_magic, r->hdr_nmagic,
	    &r->hdr));
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

	if (*s == '\0')
		return 0;
	int rc = num_double(s, -HUGE_VAL, HUGE_VAL, out);

	if (rc == NUM_RANGE) {
		at_warn(r, "%s: '%s' is out of range",
		    at_colname(r, (size_t)col), s);
		return -1;
	}
	if (rc != NUM_OK)
		return bad_number(r, col, "a number");
	return 1;
}

int
at_get_u64(const struct at_reader *r, int col, uint64_t *out)
{
	const char *s = at_get(r, col);

	if (*s == '\0')
		return 0;
	if (num_u64(s, UINT64_MAX, out) != NUM_OK)
		return bad_number(r, col, "an unsigned integer");
	return 1;
}

int
at_get_first_u64(const struct at_reader *r, int col, uint64_t max,
    uint64_t *out)
{
	const char *s = at_get(r, col), *comma = strchr(s, ',');
	char buf[24];

	if (*s == '\0')
		return 0;
	if (comma != NULL) {
		if ((size_t)(comma - s) >= sizeof(buf))
			return bad_number(r, col, "a number");
		memcpy(buf, s, (size_t)(comma - s));
		buf[comma - s] = '\0';
		s = buf;
	}
	if (num_u64(s, max, out) != NUM_OK)
		return bad_number(r, col, "a number");
	return 1;
}

int
at_get_hex(const struct at_reader *r, int col, uint64_t *out)
{
	const char *s = at_get(r, col);

	if (*s == '\0')
		return 0;
	if (num_hex(s, UINT64_MAX, out) != NUM_OK &&
	    num_u64(s, UINT64_MAX, out) != NUM_OK)
		return bad_number(r, col, "an unsigned integer");
	return 1;
}

int
at_get_i64(const struct at_reader *r, int col, int64_t *out)
{
	const char *s = at_get(r, col);

	if (*s == '\0')
		return 0;
	if (num_i64(s, INT64_MIN, INT64_MAX, out) != NUM_OK)
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
	at_warn_header(r, "missing column%s: %s", missing > 1 ? "s" : "",
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
	w->buf = ereallocarray(w->buf, w->cap, 1);
}

static void
sep(struct at_writer *w)
{
	if (w->ncol++ > 0) {
		reserve(w, 1);
		w->buf[w->len++] = AT_SEP;
	}
}

/* Whether a field holds '@', '"', CR or LF: one pass (a NUL is data). */
static bool
needs_quotes(const char *s, size_t n)
{
	for (size_t b = 0; b < n; b += 16) {
		unsigned m = special_mask16(s + b, n - b < 16 ? n - b : 16);

		for (; m != 0; m &= m - 1)
			if (s[b + (size_t)__builtin_ctz(m)] != '\0')
				return true;
	}
	return false;
}

void
at_putn(struct at_writer *w, const char *s, size_t n)
{
	sep(w);
	if (!needs_quotes(s, n)) {
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

void
at_reserve(struct at_writer *w, size_t n)
{
	reserve(w, n);
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

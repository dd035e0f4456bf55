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
#include <unistd.h>

#include "atcsv.h"
#include "common.h"
#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(AT_NO_AVX2)
#include <immintrin.h>
#endif


/*
 * One parsed row: NUL-terminated fields stored back to back in buf, which
 * is the row's own mem (libcsv's fields, a header) or, for a plain line,
 * the line itself in the reader's block.
 */
struct at_row {
	char *buf;
	size_t len;
	char *mem;
	size_t cap;
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
#ifndef AT_READ_BUFSIZE	/* -D a tiny one (and AT_NO_AVX2) to test the scan */
#define AT_READ_BUFSIZE (1 << 18)
#endif
/* Room past a block's data: its '\n' sentinel and a vector load beyond. */
#define BLOCK_PAD 64

/* Input as read, lines found and split in place: see next_line. */
struct at_block {
	char *buf;
	size_t cap;		/* bytes of data it holds at most */
};

struct at_reader {
	/* the operands, read one after another */
	FILE **fps;
	char **names;		/* "stdin" for standard input */
	size_t nfiles, fi;	/* files, and the one being read */
	int own;		/* opened here: closed by at_reader_free */
	int raw;		/* read(2) their descriptors, not fread */
	FILE *fp;
	int fd;			/* fp's, when raw; else -1 */
	const char *name;
	struct csv_parser csv;
	struct at_block *blk;	/* &own_blk, or standard input's */
	struct at_block own_blk;
	size_t bpos, bend;	/* the bytes of blk not yet taken as lines */
	int fd_eof;		/* nothing more to read from fp */
	int read_errno;		/* the read that ended it failed so */
	int avx2;		/* the CPU has it: scan_fields_avx2 */
	size_t lineno;		/* lines fed to the parser so far */
	int eof;		/* the last line taken, the end dealt with */
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
	row->buf = row->mem;
	row->len = 0;
	row->nf = 0;
}

static void
row_add(struct at_row *row, const char *s, size_t n)
{
	if (row->len + n + 1 > row->cap) {
		row->cap = (row->len + n + 1) * 2;
		row->mem = ereallocarray(row->mem, row->cap, 1);
		row->buf = row->mem;
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
 * Of the 16 bytes at s, the '@'s in *at and in *stop the bytes that end
 * the '@'s of a line's plain path: '"', CR, LF and NUL.
 */
static inline void
scan_masks16(const char *s, unsigned *at, unsigned *stop)
{
#ifdef __SSE2__
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)s);

	*at = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c,
	    _mm_set1_epi8(AT_SEP)));
	*stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(c, _mm_setzero_si128())),
	    _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('\r')),
	    _mm_cmpeq_epi8(c, _mm_set1_epi8('\n')))));
#else
	static const uint8_t kind[256] = {
		[AT_SEP] = 1, ['"'] = 2, ['\r'] = 2, ['\n'] = 2, ['\0'] = 2,
	};

	*at = *stop = 0;
	for (size_t i = 0; i < 16; i++) {
		unsigned k = kind[(unsigned char)s[i]];

		*at |= (k & 1u) << i;
		*stop |= (k >> 1) << i;
	}
#endif
}

/*
 * The bytes of s[0..n), n <= 16, that a plain field cannot hold: '@', '"',
 * CR, LF, NUL.  A short tail is padded to a whole chunk.
 */
static unsigned
special_mask16(const char *s, size_t n)
{
	char pad[16];
	unsigned at, stop;

	if (n < 16) {
		memset(pad, 'x', sizeof(pad));
		memcpy(pad, s, n);
		s = pad;
	}
	scan_masks16(s, &at, &stop);
	return at | stop;
}

/*
 * Records the '@'s of the chunk at offset b of a line (the bits of at)
 * that come before its first stop byte as where fields start: that byte's
 * offset, or SIZE_MAX when the chunk has none.  No branch per '@' on what
 * it is, nor on room: there is room for a chunk's worth first.
 */
static inline __attribute__((always_inline)) size_t
take_seps(struct at_row *row, size_t b, uint64_t at, uint64_t stop)
{
	size_t nf = row->nf, *off;

	if (stop != 0)
		at &= (stop & -stop) - 1;
	if (nf + 64 > row->fcap) {
		row->fcap = 2 * (nf + 64);
		row->off = ereallocarray(row->off, row->fcap,
		    sizeof(*row->off));
	}
	off = row->off;
	for (; at != 0; at &= at - 1)
		off[nf++] = b + (size_t)__builtin_ctzll(at) + 1;
	row->nf = nf;
	return stop != 0 ? b + (size_t)__builtin_ctzll(stop) : SIZE_MAX;
}

/*
 * The '@'s of the line at s, up to the first other special byte: its
 * offset.  They end fields on the plain path, and it ends the line ('\n')
 * or takes the line off it.  The block's '\n' sentinel bounds the scan, and
 * its padding the loads past the sentinel, whose bits are never looked at.
 */
static size_t
scan_fields(struct at_row *row, const char *s)
{
	for (size_t b = 0;; b += 16) {
		unsigned at, stop;
		size_t k;

		scan_masks16(s + b, &at, &stop);
		if ((k = take_seps(row, b, at, stop)) != SIZE_MAX)
			return k;
	}
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(AT_NO_AVX2)
#define HAVE_AVX2_SCAN
/* The '@'s of 32 bytes at s, and the other special bytes, as masks. */
__attribute__((target("avx2"))) static inline void
masks32(const char *s, uint64_t *at, uint64_t *stop)
{
	const __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)s);

	*at = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c,
	    _mm256_set1_epi8(AT_SEP)));
	*stop = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
	    _mm256_or_si256(_mm256_cmpeq_epi8(c, _mm256_set1_epi8('"')),
	    _mm256_cmpeq_epi8(c, _mm256_setzero_si256())),
	    _mm256_or_si256(_mm256_cmpeq_epi8(c, _mm256_set1_epi8('\r')),
	    _mm256_cmpeq_epi8(c, _mm256_set1_epi8('\n')))));
}

/*
 * The same, 64 bytes a step (two 32-byte loads), on the CPUs that have
 * AVX2: a payload's hex is most of a line and holds no '@'.  The block's
 * padding (BLOCK_PAD) covers a step that starts at the sentinel.
 */
__attribute__((target("avx2"))) static size_t
scan_fields_avx2(struct at_row *row, const char *s)
{
	_Static_assert(BLOCK_PAD >= 64, "a step's loads past the sentinel");
	for (size_t b = 0;; b += 64) {
		uint64_t at0, stop0, at1, stop1;
		size_t k;

		masks32(s + b, &at0, &stop0);
		masks32(s + b + 32, &at1, &stop1);
		k = take_seps(row, b, at0 | at1 << 32, stop0 | stop1 << 32);
		if (k != SIZE_MAX)
			return k;
	}
}
#endif

/*
 * Moves the part line the block ends in to its start (or, when it fills
 * the block, doubles the block) and reads once, as much as there is: a
 * pipe's rows go on as they come.  Bytes read, 0 at end, -1 (errno).
 */
static ssize_t
refill(struct at_reader *r)
{
	struct at_block *b = r->blk;
	size_t keep = r->bend - r->bpos;
	ssize_t n;

	if (r->bpos > 0) {
		memmove(b->buf, b->buf + r->bpos, keep);
		r->bpos = 0;
		r->bend = keep;
	} else if (keep == b->cap) {
		b->cap *= 2;
		b->buf = ereallocarray(b->buf, b->cap + BLOCK_PAD, 1);
	}
	if (r->fd >= 0)
		n = read(r->fd, b->buf + r->bend, b->cap - r->bend);
	else {
		/* a caller's stream: what stdio holds of it comes first */
		n = (ssize_t)fread(b->buf + r->bend, 1, b->cap - r->bend,
		    r->fp);
		if (n == 0 && ferror(r->fp))
			n = -1;
	}
	if (n > 0)
		r->bend += (size_t)n;
	b->buf[r->bend] = '\n';
	return n;
}

/*
 * The next line of the file: *line, *len bytes with its '\n' (none on a
 * last line without one), taken from the block; 1, 0 at the end of the
 * file, -1 when reading failed (errno).  Lines were getline(3)'s: this is
 * the same lines without copying each, and one pass over a plain line
 * finds its end and its fields.  *plain is then the length of the line's
 * data (less its '\n' or CRLF), with the offsets of its fields in the tail
 * row; SIZE_MAX for a line that goes to libcsv: one with a quote, a bare
 * CR or a NUL, or any line while libcsv holds part of a row.
 */
static int
next_line(struct at_reader *r, char **line, size_t *len, size_t *plain)
{
	/*
	 * libcsv's part row, if any, is the tail row: left alone.  (A last
	 * line without '\n' leaves a part row to csv_fini, unquoted.)
	 */
	struct at_row *row = r->csv_open || r->in_row ? NULL : tail_row(r);

	if (row != NULL) {
		row_clear(row);
		if (row->fcap == 0) {
			row->fcap = 32;
			row->off = ereallocarray(NULL, row->fcap,
			    sizeof(*row->off));
		}
	}
	for (;;) {
		char *s = r->blk->buf + r->bpos;
		size_t avail = r->bend - r->bpos, k = 0, e;
		ssize_t n;

		if (row != NULL) {
			row->nf = 0;
			row->off[row->nf++] = 0;
#ifdef HAVE_AVX2_SCAN
			if (r->avx2)
				k = scan_fields_avx2(row, s);
			else
#endif
				k = scan_fields(row, s);
		}
		e = k;
		if (row == NULL || s[k] != '\n')
			e = (size_t)((char *)memchr(s + k, '\n',
			    avail - k + 1) - s);
		if (e < avail || (r->fd_eof && avail > 0)) {
			/* a whole line, or the last without its '\n' */
			*line = s;
			*len = e < avail ? e + 1 : avail;
			r->bpos += *len;
			*plain = SIZE_MAX;
			if (row == NULL)
				;
			else if (s[k] == '\n')
				*plain = k;
			else if (s[k] == '\r' && k + 1 == e)
				*plain = k;	/* CRLF, or a last CR */
			return 1;
		}
		if (r->fd_eof) {
			errno = r->read_errno;
			return r->read_errno != 0 ? -1 : 0;
		}
		if ((n = refill(r)) <= 0) {
			/* getline's: a part line read before an error first */
			r->fd_eof = 1;
			r->read_errno = n < 0 ? errno : 0;
		}
	}
}

/*
 * A plain line (see next_line) is split on '@' directly: libcsv would give
 * the very same fields, only it spends most of a filter's time doing so
 * on pcap2csv's long hex payloads.  The fields stay in place in the
 * block, the separators made NULs: the row is valid until the next read.
 */
static void
split_plain(struct at_reader *r, char *s, size_t n)
{
	struct at_row *row = &r->rows[r->nrows];
	const size_t *off = row->off, nf = row->nf;	/* s may alias them */

	if (n == 0)
		return;		/* libcsv skips blank lines too */
	for (size_t f = 1; f < nf; f++)
		s[off[f] - 1] = '\0';
	s[n] = '\0';
	row->buf = s;
	row->len = n + 1;
	row->line = r->lineno;
	r->nrows++;
}

static int next_file(struct at_reader *r);

/* Feeds lines until a row is queued or input ends: 1, 0 at end, -1 error. */
static int
fill(struct at_reader *r)
{
	while (r->head == r->nrows) {
		char *line;
		size_t n, plain;
		int rc;

		r->head = r->nrows = 0;
		if (r->eof) {
			rc = next_file(r);
			if (rc <= 0)
				return rc;
			continue;
		}
		rc = next_line(r, &line, &n, &plain);
		if (rc < 0) {
			warn_at(r->name, r->lineno + 1, "read error: %s",
			    strerror(errno));
			return -1;
		}
		if (rc == 0) {
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
		for (size_t i = 0; i < n && r->nmagic < MAGIC_LEN; i++)
			r->magic[r->nmagic++] = (unsigned char)line[i];
		if (plain != SIZE_MAX) {
			split_plain(r, line, plain);
			continue;
		}
		if (memchr(line, '\0', n) != NULL) {
			/* it would cut a field short without a word */
			warn_at(r->name, r->lineno, "a NUL byte in the line%s",
			    binary_hint(r->magic, r->nmagic));
			return -1;
		}
		if (csv_parse(&r->csv, line, n, on_field, on_row, r) != n) {
			warn_at(r->name, r->lineno, "%s%s",
			    csv_strerror(csv_error(&r->csv)),
			    binary_hint(r->magic, r->nmagic));
			return -1;
		}
		track_quotes(r, line, n);
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

/* Takes the row just parsed as a header: into *dst, in memory of its own. */
static void
take_header(struct at_reader *r, struct at_row *dst)
{
	struct at_row tmp = *dst, *row = &r->rows[r->head];

	if (row->buf != row->mem) {
		/* a plain line: its block is read over */
		if (row->len > row->cap) {
			row->cap = row->len;
			row->mem = ereallocarray(row->mem, row->cap, 1);
		}
		memcpy(row->mem, row->buf, row->len);
		row->buf = row->mem;
	}
	*dst = *row;
	*row = tmp;
	r->head++;
}

/* Starts on file fi: nothing of it read yet. */
static void
file_start(struct at_reader *r, size_t fi)
{
	r->fi = fi;
	r->fp = r->fps[fi];
	r->name = r->names[fi];
	r->fd = r->raw ? fileno(r->fp) : -1;
	r->bpos = r->bend = 0;
	r->blk->buf[0] = '\n';
	r->fd_eof = 0;
	r->read_errno = 0;
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
	file_start(r, r->fi + 1);
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

/*
 * The block lines are read into.  Standard input's is the process's, made
 * once and kept to exit, as stdio's buffer is: a second reader of stdin
 * (the fuzz harness runs a filter many times, and loses what a run that
 * exits holds) neither allocates nor loses another.
 */
static struct at_block *
block_get(struct at_reader *r)
{
	static struct at_block stdin_blk;
	struct at_block *b = &r->own_blk;

	for (size_t i = 0; i < r->nfiles; i++)
		if (r->fps[i] == stdin)
			b = &stdin_blk;
	if (b->buf == NULL) {
		b->cap = AT_READ_BUFSIZE;
		b->buf = ereallocarray(NULL, b->cap + BLOCK_PAD, 1);
	}
	return b;
}

static struct at_reader *
reader_start(struct at_reader *r)
{
	int rc;

	r->blk = block_get(r);
#ifdef HAVE_AVX2_SCAN
	r->avx2 = __builtin_cpu_supports("avx2");
#endif
	file_start(r, 0);
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

/* A caller's stream, which it may have read from: through stdio. */
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
	 * Nothing has read these streams: their descriptors are read in big
	 * blocks (stdio's 4 kB would be one read(2) per 4 kB of pcap2csv's
	 * output, and a copy of every byte), each read taking what a pipe
	 * holds, as stdio would.
	 */
	r->raw = 1;
	return reader_start(r);
}

void
at_reader_free(struct at_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->csv);
	for (size_t i = 0; i < r->rowcap; i++) {
		free(r->rows[i].mem);
		free(r->rows[i].off);
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		if (r->own && r->fps[i] != NULL && r->fps[i] != stdin)
			fclose(r->fps[i]);
		free(r->names[i]);
	}
	free(r->fps);
	free(r->names);
	free(r->rows);
	free(r->hdr.mem);
	free(r->hdr.off);
	free(r->fhdr.mem);
	free(r->fhdr.off);
	free(r->map);
	free(r->own_blk.buf);
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

/*
 * Field col of the current row and its length ("" and 0 for none): the
 * split's offsets say it, a field ends where the next one starts.
 */
static inline const char *
cell(const struct at_reader *r, int col, size_t *len)
{
	size_t c = (size_t)col, end;

	if (col < 0 || r->cur == NULL || c >= r->hdr.nf) {
		*len = 0;
		return "";
	}
	if (r->map != NULL)
		c = r->map[c];
	end = c + 1 < r->cur->nf ? r->cur->off[c + 1] : r->cur->len;
	*len = end - r->cur->off[c] - 1;
	return r->cur->buf + r->cur->off[c];
}

const char *
at_get(const struct at_reader *r, int col)
{
	size_t len;

	return cell(r, col, &len);
}

size_t
at_len(const struct at_reader *r, int col)
{
	size_t len;

	(void)cell(r, col, &len);
	return len;
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
	size_t len;
	const char *s = cell(r, col, &len);

	if (len == 0)
		return 0;
	if (num_u64_n(s, len, UINT64_MAX, out) != NUM_OK)
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
	if (n < 16) {	/* most fields: a name, a number; no padded copy */
		for (size_t i = 0; i < n; i++)
			if (s[i] == AT_SEP || s[i] == '"' || s[i] == '\r' ||
			    s[i] == '\n')
				return true;
		return false;
	}
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

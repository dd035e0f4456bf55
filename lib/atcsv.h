/*
 * atcsv.h: the '@'-separated stream between filters (DESIGN.md, "The stream
 * between filters").  Reading goes through libcsv with '@' as delimiter, so
 * RFC-4180 quoting works; columns are found by header name, never position.
 * Writing quotes only the fields that need it and emits whole lines, so a
 * filter that dies mid-run never leaves a partial line behind.
 */
#ifndef MPTK_ATCSV_H
#define MPTK_ATCSV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define AT_SEP '@'

struct at_reader;

/*
 * Opens a reader on fp and reads the header line.  `name` is the file name
 * for messages, NULL for standard input (messages then say "stdin:N").
 * Returns NULL after printing "prog: file:line: what" on an empty stream or
 * a read error.  A NUL byte in the input is such an error.
 */
struct at_reader *at_reader_open(FILE *fp, const char *name);

/*
 * A filter's operands, as cut(1) and sort(1) take them: the files named,
 * read one after another as one stream, or standard input when there are
 * none ("-" is standard input too).  Every file is opened before anything
 * is read, so a missing one fails at once ("prog: file: No such file...").
 * Each file starts with its header line; a later file must have every
 * column of the first (in any order; others are ignored) and its rows are
 * read by the first file's column numbers.  An empty file adds nothing.
 */
struct at_reader *at_reader_files(char *const *files, size_t nfiles);
void at_reader_free(struct at_reader *r);

size_t at_ncols(const struct at_reader *r);
const char *at_colname(const struct at_reader *r, size_t col);
/* Index of the column named `name`, or -1. */
int at_col(const struct at_reader *r, const char *name);

/*
 * Advances to the next data row: 1 on a row, 0 at end of input, -1 after
 * printing a message (read error, bad quoting, a row whose field count is not
 * the header's).  A quoted field that never ends is named by the line where
 * it begins.  The row stays valid until the next call.
 */
int at_next(struct at_reader *r);

/* Field `col` of the current row; "" for col < 0. */
const char *at_get(const struct at_reader *r, int col);
/* Its length, strlen(at_get(r, col)) without a scan of a long field. */
size_t at_len(const struct at_reader *r, int col);

/* The name of the file being read ("stdin" for standard input). */
const char *at_file(const struct at_reader *r);

/* Line number (1-based, header is line 1) where the current row starts. */
size_t at_line(const struct at_reader *r);

/*
 * Prints "prog: file:line: message" (or "prog: line N: message" on stdin)
 * for the current row.
 */
void at_warn(const struct at_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Numeric fields, read by lib/util's strict decimal parser ("010" is ten).
 * Each returns 1 when the field holds a value, 0 when it is empty (absent
 * value), and -1 after an at_warn() naming the column when it is not a
 * number of that kind.  at_get_hex also takes tshark's hex ("0x0012", as
 * tcp.flags is printed).  A finite double only: "nan" and "inf" are not
 * numbers here.
 */
int at_get_double(const struct at_reader *r, int col, double *out);
int at_get_u64(const struct at_reader *r, int col, uint64_t *out);
int at_get_i64(const struct at_reader *r, int col, int64_t *out);
int at_get_hex(const struct at_reader *r, int col, uint64_t *out);
/*
 * The first of a field's comma-separated numbers ("2,3", as tshark prints
 * an option that occurs twice), at most max; the same returns.
 */
int at_get_first_u64(const struct at_reader *r, int col, uint64_t max,
    uint64_t *out);

/*
 * The same at the header line of the file that gave the columns, followed
 * by a hint when that line is not an '@' header: the file looks like a
 * pcap or pcapng capture or gzip, its fields are tab- or comma-separated,
 * or the line looks like data (no header).  The reader's own errors on a
 * capture or gzip file (a NUL byte, bad quoting) say so too.
 */
void at_warn_header(const struct at_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Checks that every name in `names` (NULL-terminated) is a column; if not,
 * prints one message listing all the missing ones (at_warn_header, so with
 * its hint) and returns -1.  A later file of at_reader_files without a
 * column of the first is named the same way, with the same hints.
 */
int at_require(const struct at_reader *r, const char *const *names);

struct at_writer {
	FILE *fp;
	char *buf;
	size_t len, cap;
	size_t ncol;		/* fields so far in the current row */
	size_t row;		/* where the current row starts in buf */
	size_t batch;		/* hold whole rows up to this many bytes */
};

void at_writer_init(struct at_writer *w, FILE *fp);
void at_writer_free(struct at_writer *w);
/* Appends one field, quoted only if it holds '@', '"', CR or LF. */
static inline void at_put(struct at_writer *w, const char *s);
void at_putn(struct at_writer *w, const char *s, size_t n);
/*
 * Appends one field of n bytes that the caller writes at the returned
 * pointer (valid until the next call on w): for text that never needs
 * quoting (numbers, hex), built in place without a copy or a scan.
 */
static inline char *at_field(struct at_writer *w, size_t n);
/* Room for n more bytes in w's buffer (at_field's slow path). */
void at_reserve(struct at_writer *w, size_t n);
/* Appends one field formatted by printf; numbers need no quoting. */
void at_putf(struct at_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Ends the row and hands the whole line to stdio (with a batch set, once
 * that many bytes of whole rows are held).  -1 on write error.
 */
int at_end(struct at_writer *w);
/*
 * Holds whole rows up to `bytes` before writing them with one fwrite, which
 * stdio passes straight to write(2): for a filter whose output is its bulk
 * (pcap2csv), this saves copying every row into stdio's buffer.  Only for
 * callers that end with at_flush(): rows held are not written at exit().
 */
void at_writer_batch(struct at_writer *w, size_t bytes);
/* Writes rows held, flushes; -1 (with errno) if anything written failed. */
int at_flush(struct at_writer *w);

/* Inline: it runs for every field of every row pcap2csv writes. */
static inline char *
at_field(struct at_writer *w, size_t n)
{
	char *p;

	if (w->len + n + 1 > w->cap)
		at_reserve(w, n + 1);
	if (w->ncol++ > 0)
		w->buf[w->len++] = AT_SEP;
	p = w->buf + w->len;
	w->len += n;
	return p;
}

/*
 * Inline: an empty field, the commonest (a path without the record), is
 * then its separator alone, and a literal's length is known.
 */
static inline void
at_put(struct at_writer *w, const char *s)
{
	if (*s == '\0')
		(void)at_field(w, 0);
	else
		at_putn(w, s, strlen(s));
}

#endif

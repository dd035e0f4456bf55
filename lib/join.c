/*
 * join.c: see join.h.  Rows [lo, hi) by sequence number live in a ring
 * (a power of two); each column keeps its cells in a ring of its own, so
 * that a column added later costs one allocation; the rows' extras are a
 * ring beside the rows, made when the first copy brings one.
 */
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "util.h"

struct row {
	int64_t created;	/* capture time the row was opened */
	int64_t born_ns;
	uint8_t born_digits;
	uint8_t used;		/* some copy is in */
	uint8_t has_extra;
};

struct col {
	struct join_cell *cells;
	int64_t frontier;	/* -1: not known */
	int live;
};

struct join {
	struct join_cfg cfg;
	struct row *rows;
	uint8_t *extras;	/* cap * extra_size bytes, or NULL */
	size_t cap;		/* power of two, 0 before the first row */
	int64_t lo, hi;
	int started, emitted;
	struct col *cols;
	size_t ncols, colcap;
	struct join_cell *line;	/* one line's cells, for the output */
	struct join_stats st;
};

struct join *
join_new(const struct join_cfg *cfg)
{
	struct join *j = ecalloc(1, sizeof(*j));

	j->cfg = *cfg;
	return j;
}

void
join_free(struct join *j)
{
	if (j == NULL)
		return;
	for (size_t c = 0; c < j->ncols; c++)
		free(j->cols[c].cells);
	free(j->cols);
	free(j->rows);
	free(j->extras);
	free(j->line);
	free(j);
}

size_t
join_add_col(struct join *j)
{
	struct col *c;

	j->cols = egrow(j->cols, j->ncols, &j->colcap, 8, sizeof(*j->cols));
	c = &j->cols[j->ncols];
	memset(c, 0, sizeof(*c));
	c->frontier = -1;
	c->live = 1;
	if (j->cap > 0)
		c->cells = ecalloc(j->cap, sizeof(*c->cells));
	j->line = ereallocarray(j->line, j->ncols + 1, sizeof(*j->line));
	return j->ncols++;
}

size_t
join_ncols(const struct join *j)
{
	return j->ncols;
}

void
join_set_frontier(struct join *j, size_t col, int64_t frontier)
{
	j->cols[col].frontier = frontier;
}

void
join_set_live(struct join *j, size_t col, int live)
{
	j->cols[col].live = live;
}

const struct join_stats *
join_stats(const struct join *j)
{
	return &j->st;
}

size_t
join_open(const struct join *j)
{
	return (size_t)(j->hi - j->lo);
}

static size_t
ix(const struct join *j, int64_t seq)
{
	return (size_t)seq & (j->cap - 1);
}

static uint8_t *
extra_at(const struct join *j, int64_t seq)
{
	return j->extras + ix(j, seq) * j->cfg.extra_size;
}

/* Makes room for rows [lo, hi). */
static void
grow(struct join *j, int64_t lo, int64_t hi)
{
	size_t cap = j->cap ? j->cap : 1024;
	struct row *rows;

	while (cap < (size_t)(hi - lo))
		cap *= 2;
	if (cap == j->cap)
		return;
	rows = ecalloc(cap, sizeof(*rows));
	for (int64_t s = j->lo; s < j->hi; s++)
		rows[(size_t)s & (cap - 1)] = j->rows[ix(j, s)];
	for (size_t c = 0; c < j->ncols; c++) {
		struct join_cell *cells = ecalloc(cap, sizeof(*cells));

		for (int64_t s = j->lo; s < j->hi; s++)
			cells[(size_t)s & (cap - 1)] = j->cols[c].cells[ix(j, s)];
		free(j->cols[c].cells);
		j->cols[c].cells = cells;
	}
	if (j->extras != NULL) {
		size_t es = j->cfg.extra_size;
		uint8_t *ex = ecalloc(cap, es);

		for (int64_t s = j->lo; s < j->hi; s++)
			memcpy(ex + ((size_t)s & (cap - 1)) * es, extra_at(j, s),
			    es);
		free(j->extras);
		j->extras = ex;
	}
	free(j->rows);
	j->rows = rows;
	j->cap = cap;
}

static void
put_line(struct join *j, int64_t seq, int64_t born_ns, uint8_t digits,
    const void *extra)
{
	struct join_line l = {
		.seq = seq,
		.born_ns = born_ns,
		.born_digits = digits,
		.ncols = j->ncols,
		.cells = j->line,
		.extra = extra,
	};

	j->cfg.out(j->cfg.ctx, &l);
	j->emitted = 1;
}

/* A copy that is no other's: a line of its own. */
static void
alone(struct join *j, size_t col, int64_t seq, int64_t born_ns,
    uint8_t digits, const struct join_cell *cell, const void *extra)
{
	memset(j->line, 0, j->ncols * sizeof(*j->line));
	j->line[col] = *cell;
	j->line[col].has = 1;
	put_line(j, seq, born_ns, digits, j->cfg.extra_size > 0 ? extra :
	    NULL);
}

/* Prints row `seq` if it has a copy, then clears it. */
static void
emit_row(struct join *j, int64_t seq)
{
	struct row *r = &j->rows[ix(j, seq)];

	if (r->used) {
		for (size_t c = 0; c < j->ncols; c++)
			j->line[c] = j->cols[c].cells[ix(j, seq)];
		put_line(j, seq, r->born_ns, r->born_digits, r->has_extra ?
		    extra_at(j, seq) : NULL);
	}
	for (size_t c = 0; c < j->ncols; c++)
		j->cols[c].cells[ix(j, seq)].has = 0;
	r->used = 0;
	r->has_extra = 0;
}

/* Every column has row `seq`, or has gone past it, or has ended. */
static int
complete(const struct join *j, int64_t seq)
{
	for (size_t c = 0; c < j->ncols; c++) {
		const struct col *k = &j->cols[c];

		if (k->cells[ix(j, seq)].has || !k->live || k->frontier > seq)
			continue;
		return 0;
	}
	return 1;
}

void
join_emit(struct join *j, int64_t now, int ready, int eof)
{
	while (j->lo < j->hi) {
		const struct row *r = &j->rows[ix(j, j->lo)];

		if (!eof && r->created > now - j->cfg.window_ns &&
		    !(ready && complete(j, j->lo)))
			break;
		emit_row(j, j->lo);
		j->lo++;
	}
}

void
join_push(struct join *j, size_t col, int64_t now, int64_t seq,
    int64_t born_ns, uint8_t born_digits, const struct join_cell *cell)
{
	join_push_extra(j, col, now, seq, born_ns, born_digits, cell, NULL);
}

void
join_push_extra(struct join *j, size_t col, int64_t now, int64_t seq,
    int64_t born_ns, uint8_t born_digits, const struct join_cell *cell,
    const void *extra)
{
	struct row *r;
	struct join_cell *dst;

	if (!j->started) {
		j->started = 1;
		j->lo = j->hi = seq;
	}
	if (seq < j->lo && j->emitted) {
		/* its row is out already */
		j->st.late++;
		alone(j, col, seq, born_ns, born_digits, cell, extra);
		return;
	}
	int64_t lo = seq < j->lo ? seq : j->lo;
	int64_t hi = seq >= j->hi ? seq + 1 : j->hi;

	while (hi - lo > JOIN_SPAN_MAX && j->lo < j->hi && seq >= j->lo) {
		/* too many open rows: the oldest go out early */
		if (j->rows[ix(j, j->lo)].used)
			j->st.forced++;
		emit_row(j, j->lo);
		lo = ++j->lo;
	}
	if (j->lo == j->hi && (seq >= j->hi || !j->emitted)) {
		/* nothing open: start over here */
		j->lo = j->hi = lo = seq;
		hi = seq + 1;
	}
	if (hi - lo > JOIN_SPAN_MAX) {
		/* far below the open rows, before any output */
		j->st.forced++;
		alone(j, col, seq, born_ns, born_digits, cell, extra);
		return;
	}
	grow(j, lo, hi);
	for (int64_t s = lo; s < j->lo; s++) {
		memset(&j->rows[ix(j, s)], 0, sizeof(struct row));
		j->rows[ix(j, s)].created = now;
		for (size_t c = 0; c < j->ncols; c++)
			j->cols[c].cells[ix(j, s)].has = 0;
	}
	for (int64_t s = j->hi; s < hi; s++) {
		memset(&j->rows[ix(j, s)], 0, sizeof(struct row));
		j->rows[ix(j, s)].created = now;
		for (size_t c = 0; c < j->ncols; c++)
			j->cols[c].cells[ix(j, s)].has = 0;
	}
	j->lo = lo;
	j->hi = hi;
	r = &j->rows[ix(j, seq)];
	dst = &j->cols[col].cells[ix(j, seq)];
	if (r->used && (born_ns - r->born_ns > JOIN_APART_NS ||
	    r->born_ns - born_ns > JOIN_APART_NS)) {
		j->st.apart++;
		alone(j, col, seq, born_ns, born_digits, cell, extra);
		return;
	}
	if (dst->has) {
		j->st.dup++;
		return;
	}
	*dst = *cell;
	dst->has = 1;
	if (extra != NULL && j->cfg.extra_size > 0 && !r->has_extra) {
		if (j->extras == NULL)
			j->extras = ecalloc(j->cap, j->cfg.extra_size);
		memcpy(extra_at(j, seq), extra, j->cfg.extra_size);
		r->has_extra = 1;
	}
	if (!r->used || born_ns < r->born_ns) {
		r->used = 1;
		r->born_ns = born_ns;
		r->born_digits = born_digits;
	}
}

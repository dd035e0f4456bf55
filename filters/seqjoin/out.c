/*
 * out.c: seqjoin's paths (the column groups), the joins of the two
 * directions, and the lines they write.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "nstime.h"
#include "seqjoin.h"
#include "util.h"

static const char *const metric[] = { "time", "rtt", "owd", "retx" };

const char *
dir_name(enum dir d)
{
	return d == DIR_UL ? "ul" : "dl";
}

static const char *
at_name(enum at a)
{
	return a == AT_SENDER ? "sender" : a == AT_RECEIVER ? "receiver" :
	    "unknown";
}

bool
port_wanted(const struct seqjoin *sj, unsigned port)
{
	if (sj->portset != NULL &&
	    (sj->portset[port / 8] & (1u << (port % 8))) == 0)
		return false;
	return sj->labels == NULL || labels_has_port(sj->labels, port);
}

struct path *
path_add(struct seqjoin *sj, unsigned port, int sub, const char *label)
{
	struct path *p;

	/*
	 * Said once, and the readers stop at the end of the row (returning,
	 * so what the run holds is freed as on any error): no exit from
	 * deep inside a reader.
	 */
	if (sj->npaths == PATHS_MAX) {
		if (!sj->too_many_paths)
			warnx("more than %d paths: not a multi-path run? "
			    "(-p or -L name the paths)", PATHS_MAX);
		sj->too_many_paths = true;
		return NULL;
	}
	p = ecalloc(1, sizeof(*p));

	p->port = port;
	p->sub = sub;
	if (sub > MP_ID_MAX)
		snprintf(p->ownname, sizeof(p->ownname), "%u.x%d", port,
		    sub - MP_ID_MAX);
	else if (sub >= 0)
		snprintf(p->ownname, sizeof(p->ownname), "%u.%d", port, sub);
	else
		snprintf(p->ownname, sizeof(p->ownname), "%u", port);
	p->name = label != NULL ? label : p->ownname;
	p->jcol[0] = p->jcol[1] = SIZE_MAX;
	p->frontier[0] = p->frontier[1] = -1;
	sj->paths = egrow(sj->paths, sj->npaths, &sj->pathcap, 8,
	    sizeof(*sj->paths));
	sj->paths[sj->npaths++] = p;
	if (sub < 0)
		sj->byport[port] = p;
	return p;
}

struct path *
path_of(struct seqjoin *sj, unsigned port, int sub)
{
	if (sub < 0 && sj->byport[port] != NULL)
		return sj->byport[port];
	for (size_t i = 0; sub >= 0 && i < sj->npaths; i++)
		if (sj->paths[i]->port == port && sj->paths[i]->sub == sub)
			return sj->paths[i];
	if (sj->named || sj->header_done || !port_wanted(sj, port))
		return NULL;
	return path_add(sj, port, sub, NULL);
}

static int
by_port(const void *a, const void *b)
{
	const struct path *x = *(struct path *const *)a;
	const struct path *y = *(struct path *const *)b;

	if (x->port != y->port)
		return (x->port > y->port) - (x->port < y->port);
	return (x->sub > y->sub) - (x->sub < y->sub);
}

/* Where lines go: stdout, or the spool once a path's owd is rebased. */
static void
end_line(struct seqjoin *sj)
{
	if (at_end(&sj->w) != 0)
		err(EXIT_DATA, "%s", sj->spool != NULL ? "spool" : "stdout");
}

/*
 * MPTCP subflows (paths with an address id) have a fifth column, reinj;
 * with any of them, each line ends with what is the record's own (none of
 * these names ends in a metric of a path: rttpairs takes them for none).
 */
static const char *const mp_metric = "reinj";
static const char *const mp_record[] = { "first", "drtt", "ready", "hol" };

static void
put_header(struct seqjoin *sj)
{
	size_t col = 4;

	at_put(&sj->w, "dir");
	at_put(&sj->w, "at");
	at_put(&sj->w, "seq");
	at_put(&sj->w, "born");
	sj->mp_cols = false;
	for (size_t i = 0; i < sj->npaths; i++) {
		struct path *p = sj->paths[i];
		size_t n = p->sub >= 0 ? 5 : 4;

		for (size_t m = 0; m < n; m++) {
			char *name = esprintf("%s.%s", p->name, m < 4 ?
			    metric[m] : mp_metric);

			at_put(&sj->w, name);	/* a label may need quoting */
			free(name);
		}
		p->owd_col = col + 2;
		col += n;
		if (p->sub >= 0)
			sj->mp_cols = true;
	}
	for (size_t m = 0; sj->mp_cols && m < 4; m++)
		at_put(&sj->w, mp_record[m]);
	end_line(sj);
}

static void put_line(struct seqjoin *sj, enum dir d,
    const struct join_line *l);

void
write_header(struct seqjoin *sj)
{
	if (sj->header_done)
		return;
	if (!sj->named && sj->npaths > 1)
		qsort(sj->paths, sj->npaths, sizeof(*sj->paths), by_port);
	put_header(sj);
	sj->header_done = true;
	for (size_t i = 0; i < sj->nheld; i++) {
		/* (the array moved as it grew: the extra's place is known now) */
		sj->held[i].line.extra = sj->held[i].has_extra ?
		    &sj->held[i].extra : NULL;
		put_line(sj, sj->held[i].d, &sj->held[i].line);
		free((void *)sj->held[i].line.cells);
	}
	free(sj->held);
	sj->held = NULL;
	sj->nheld = 0;
	if (at_flush(&sj->w) != 0)
		err(EXIT_DATA, "stdout");
}

/* ms with `digits` decimals (0, 3 or 5), as the sender stamped it. */
static void
put_born(struct at_writer *w, int64_t ns, int digits)
{
	char buf[40];
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t unit = digits == 5 ? 10 : digits == 3 ? 1000 : 1000000;
	uint64_t v = a / unit;	/* stamps are whole units of their clock */
	uint64_t per_ms = 1000000 / unit;
	size_t n = 0;

	if (ns < 0)
		buf[n++] = '-';
	n += num_fmt_u64(v / per_ms, buf + n);
	if (digits > 0) {
		buf[n++] = '.';
		num_fmt_pad(v % per_ms, digits, buf + n);
		n += (size_t)digits;
	}
	memcpy(at_field(w, n), buf, n);
}

static void
put_cell(struct seqjoin *sj, const struct path *p, enum dir d,
    const struct join_cell *c)
{
	if (c == NULL || !c->has) {
		for (int i = 0; i < (p->sub >= 0 ? 5 : 4); i++)
			at_put(&sj->w, "");
		return;
	}
	nst_put_s(&sj->w, c->time_ns);
	/* at the receiver, an "rtt" would be its own ACK delay */
	if (c->rtt_ns < 0 || sj->at[d] == AT_RECEIVER)
		at_put(&sj->w, "");
	else
		nst_put_ms(&sj->w, c->rtt_ns);
	if (p->mono) {
		/* exact, for the rebase at the end (out_finish) */
		char buf[24];
		int64_t v = c->owd_ns;
		size_t n = 0;

		if (v < 0) {
			buf[n++] = '-';
			v = -v;
		}
		n += num_fmt_u64((uint64_t)v, buf + n);
		memcpy(at_field(&sj->w, n), buf, n);
	} else
		nst_put_ms(&sj->w, c->owd_ns);
	if (c->retx < 0)
		at_put(&sj->w, "");
	else
		at_put(&sj->w, c->retx ? "1" : "0");
	if (p->sub >= 0)
		at_put(&sj->w, c->again < 0 ? "" : c->again ? "1" : "0");
}

/* The record's own MPTCP columns (x NULL: none). */
static void
put_mp(struct seqjoin *sj, enum dir d, const struct mp_extra *x)
{
	/* a receiver's DATA_ACKs are its own delay; only it sees ready */
	bool rcv = sj->at[d] == AT_RECEIVER;

	at_put(&sj->w, x != NULL && x->first != NULL ? x->first->name : "");
	if (x != NULL && x->drtt_ns >= 0 && !rcv)
		nst_put_ms(&sj->w, x->drtt_ns);
	else
		at_put(&sj->w, "");
	if (x != NULL && x->ready_ns >= 0 && rcv)
		nst_put_s(&sj->w, x->ready_ns);
	else
		at_put(&sj->w, "");
	if (x != NULL && x->ready_ns >= 0 && x->whole_ns >= 0 && rcv)
		nst_put_ms(&sj->w, x->ready_ns - x->whole_ns);
	else
		at_put(&sj->w, "");
}

/* lib/join hands over a line of direction d. */
static void
put_line(struct seqjoin *sj, enum dir d, const struct join_line *l)
{
	sj->at_fixed[d] = true;
	at_put(&sj->w, dir_name(d));
	at_put(&sj->w, at_name(sj->at[d]));
	{
		char buf[24];
		size_t n = num_fmt_u64((uint64_t)l->seq, buf);

		memcpy(at_field(&sj->w, n), buf, n);
	}
	put_born(&sj->w, l->born_ns, l->born_digits);
	for (size_t i = 0; i < sj->npaths; i++) {
		const struct path *p = sj->paths[i];

		put_cell(sj, p, d, p->jcol[d] < l->ncols ?
		    &l->cells[p->jcol[d]] : NULL);
	}
	if (sj->mp_cols)
		put_mp(sj, d, l->extra);
	end_line(sj);
}

/*
 * lib/join hands over a line of direction d.  Before the columns are known
 * only a copy that is no other's comes out (late, or born apart): it waits,
 * so that it does not fix the columns early.
 */
static void
on_line(void *ctx, const struct join_line *l)
{
	const struct line_ctx *lc = ctx;
	struct seqjoin *sj = lc->sj;
	struct held_line *h;

	if (sj->header_done) {
		put_line(sj, lc->d, l);
		return;
	}
	sj->held = ereallocarray(sj->held, sj->nheld + 1, sizeof(*sj->held));
	h = &sj->held[sj->nheld++];
	h->d = lc->d;
	h->line = *l;
	h->line.cells = ereallocarray(NULL, l->ncols ? l->ncols : 1,
	    sizeof(*l->cells));
	memcpy((void *)h->line.cells, l->cells, l->ncols * sizeof(*l->cells));
	h->has_extra = l->extra != NULL;
	if (h->has_extra)
		h->extra = *(const struct mp_extra *)l->extra;
}

/* The join of direction d, made on its first record. */
static struct join *
join_of(struct seqjoin *sj, enum dir d)
{
	if (sj->join[d] == NULL) {
		struct join_cfg cfg = {
			.window_ns = sj->window_ns,
			.out = on_line,
			.ctx = &sj->line_ctx[d],
			.extra_size = sizeof(struct mp_extra),
		};

		sj->line_ctx[d].sj = sj;
		sj->line_ctx[d].d = d;
		sj->join[d] = join_new(&cfg);
	}
	return sj->join[d];
}

/* Held lines of a rebased path: the spool, from now on. */
static void
spool_start(struct seqjoin *sj)
{
	if (sj->spool != NULL)
		return;
	write_header(sj);
	if (at_flush(&sj->w) != 0)
		err(EXIT_DATA, "stdout");
	if ((sj->spool = tmpfile()) == NULL)
		err(EXIT_DATA, "a temporary file for the rebase");
	at_writer_free(&sj->w);
	at_writer_init(&sj->w, sj->spool);
	put_header(sj);		/* to read the spool back by name */
}

void
record_push(struct seqjoin *sj, struct path *p, enum dir d,
    const struct rec_info *ri, const struct join_cell *cell)
{
	record_push_mp(sj, p, d, ri, cell, NULL);
}

void
record_push_mp(struct seqjoin *sj, struct path *p, enum dir d,
    const struct rec_info *ri, const struct join_cell *cell,
    const struct mp_extra *x)
{
	struct join *j = join_of(sj, d);

	if (p->jcol[d] == SIZE_MAX)
		p->jcol[d] = join_add_col(j);
	if (sj->first_ns[d] < 0)
		sj->first_ns[d] = cell->time_ns;
	if (rec_born_monotonic(ri) && !rec_born_plausible(ri, cell->time_ns)) {
		if (!p->mono) {
			p->mono = true;
			p->owd_min = cell->owd_ns;
			spool_start(sj);
		}
	}
	if (p->mono && cell->owd_ns < p->owd_min)
		p->owd_min = cell->owd_ns;
	sj->records++;
	join_push_extra(j, p->jcol[d], sj->now, (int64_t)ri->seq, ri->born_ns,
	    ri->born_digits, cell, x);
}

void
join_sweep(struct seqjoin *sj, int eof)
{
	int64_t first = sj->first_ns[0] < 0 ? sj->first_ns[1] :
	    sj->first_ns[1] < 0 || sj->first_ns[0] < sj->first_ns[1] ?
	    sj->first_ns[0] : sj->first_ns[1];
	int64_t settle = sj->udrecv ? SETTLE_NS : PATHS_SETTLE_NS;

	/* the columns are what began by then: rows need not wait longer */
	if (!sj->header_done && first >= 0 && (sj->now - first >= settle ||
	    sj->now - first >= sj->window_ns ||
	    (sj->join[0] != NULL ? join_open(sj->join[0]) : 0) +
	    (sj->join[1] != NULL ? join_open(sj->join[1]) : 0) >
	    PATHS_WAIT_MAX))
		write_header(sj);
	for (int d = 0; d < 2; d++) {
		struct join *j = sj->join[d];
		int ready;

		if (j == NULL)
			continue;
		for (size_t i = 0; i < sj->npaths; i++) {
			struct path *p = sj->paths[i];

			if (p->jcol[d] == SIZE_MAX)
				continue;
			join_set_live(j, p->jcol[d], p->live[d] > 0);
			join_set_frontier(j, p->jcol[d], p->frontier[d]);
		}
		/*
		 * Before the paths are known a row waits the window; paths
		 * named in advance may still be starting: a direction waits a
		 * moment for them after its first record.
		 */
		ready = sj->header_done &&
		    (!sj->named || sj->now - sj->first_ns[d] >= SETTLE_NS ||
		    sj->now - sj->first_ns[d] >= sj->window_ns);
		join_emit(j, sj->now, ready, eof);
	}
	/* lines go out as they are decided: a pipe to rttpairs --every sees
	 * them while the run goes on, not when a stdio buffer fills */
	if (sj->spool == NULL && !eof && at_flush(&sj->w) != 0)
		err(EXIT_DATA, "stdout");
}

/* Reads the spool back, rebases the monotonic paths' owd, writes it out. */
static void
unspool(struct seqjoin *sj)
{
	struct at_reader *r;
	struct at_writer w;
	int rc;

	if (at_flush(&sj->w) != 0)
		err(EXIT_DATA, "spool");
	rewind(sj->spool);
	if ((r = at_reader_open(sj->spool, "spool")) == NULL)
		exit(EXIT_DATA);
	at_writer_init(&w, stdout);
	while ((rc = at_next(r)) == 1) {
		for (size_t c = 0; c < at_ncols(r); c++) {
			const char *s = at_get(r, (int)c);
			const struct path *p = NULL;
			int64_t v;

			for (size_t i = 0; c >= 4 && i < sj->npaths; i++)
				if (sj->paths[i]->owd_col == c)
					p = sj->paths[i];
			if (p != NULL && p->mono && *s != '\0' &&
			    num_i64(s, INT64_MIN, INT64_MAX, &v) == NUM_OK)
				nst_put_ms(&w, v - p->owd_min);
			else
				at_put(&w, s);
		}
		if (at_end(&w) != 0)
			err(EXIT_DATA, "stdout");
	}
	if (rc < 0)
		exit(EXIT_DATA);
	at_reader_free(r);
	if (at_flush(&w) != 0)
		err(EXIT_DATA, "stdout");
	at_writer_free(&w);
	fclose(sj->spool);
	sj->spool = NULL;
}

void
out_finish(struct seqjoin *sj)
{
	write_header(sj);
	if (sj->spool != NULL) {
		for (size_t i = 0; i < sj->npaths; i++)
			if (sj->paths[i]->mono)
				warnx("%s: born is not a wall-clock time (iperf3 "
				    "3.7 and later stamp the monotonic clock): "
				    "owd is rebased to its smallest value, "
				    "only its differences mean anything",
				    sj->paths[i]->name);
		unspool(sj);
	} else if (at_flush(&sj->w) != 0)
		err(EXIT_DATA, "stdout");
}

/*
 * seqjoin: joins the copies of each record across paths.  Reads pcap2csv
 * (or tshark -T fields) rows, reassembles every path's byte stream with
 * lib/reasm, cuts it into records and prints one line per record sequence
 * number with each path's time, rtt, owd and retx; or reads udrecv's
 * path@seq@born@time@owd rows and joins those.  Memory is bounded by the
 * window (-W) of capture time, not by the capture.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "common.h"
#include "labels.h"
#include "nstime.h"
#include "reasm.h"
#include "record.h"
#include "rowconn.h"
#include "tcp.h"
#include "util.h"

static const char synopsis[] =
    "[-s LEN] [-L LABELS] [-p PORTS] [-W SECONDS] [FILE...]";
static const char options[] =
    "  -s LEN       record length in bytes (400)\n"
    "  -L LABELS    paths and their names from port@label lines\n"
    "  -p PORTS     only these server ports (3271,3273-3279)\n"
    "  -W SECONDS   longest a record waits for its copies (60)\n";

#define SWEEP_NS	(100 * NST_MS)	/* capture time between sweeps */
#define GRACE_MAX_NS	(10 * NST_S)	/* held after an ACK, for late retx */
#define JOIN_SPAN_MAX	(INT64_C(1) << 19)	/* sequence numbers held */
#define RETX_NONE	2

/* One path's copy of one record. */
struct cell {
	int64_t time_ns;
	int64_t owd_ns;
	int64_t rtt_ns;		/* -1: no ACK */
	uint8_t has;
	uint8_t retx;		/* 0, 1 or RETX_NONE */
};

/* One output column group: a path. */
struct column {
	unsigned port;
	const char *name;	/* label, or the port as text */
	char portname[8];
	struct cell *cells;	/* indexed like the join's rows */
	int seen;		/* some flow has given it records */
	int live;		/* flows that may still give records */
	int64_t frontier;	/* every seq below is in, or never will be */
};

struct rowmeta {
	int64_t created;	/* capture time the row was opened */
	uint64_t born;		/* ms, or us when flag is REC_DATA_US */
	uint8_t flag;
	uint8_t used;
};

struct conn;

struct half_ctx {
	struct seqjoin *sj;
	struct conn *c;
	int d;
};

/* A TCP connection: two directions, each maybe carrying records. */
struct conn {
	struct rowconn *entry;	/* in the table of connections */
	struct conn *prev, *next;	/* list of all */
	unsigned port[2];	/* source port of direction 0, 1 */
	unsigned server;	/* the path's name: the server port */
	int ignored;		/* excluded by -p */
	struct reasm *half[2];
	struct half_ctx ctx[2];
	struct column *col[2];
	int col_known[2];
	int fin[2], closed;
	int64_t last;
};

struct counts {
	uint64_t rows_nottcp, rows_multi, rec_dup, rec_late, rec_unplaced,
	    rec_forced;
};

struct seqjoin {
	/* options */
	size_t reclen;
	int64_t window_ns, grace_ns;
	struct labels *labels;
	uint8_t *portset;	/* -p: bitmap, NULL = every port */
	/* columns */
	struct column **cols;
	size_t ncols, colcap;
	struct column *bycol[65536];
	int fixed;		/* -L: columns known from the start */
	int header_done;
	int udrecv;
	/* the join: rows [lo, hi) by sequence number */
	struct rowmeta *meta;
	size_t cap;
	int64_t lo, hi;
	int started, emitted;
	/* connections */
	struct rowconn_table *table;
	struct conn *conns;
	struct reasm_stats rs;
	struct counts n;
	int64_t now;
	struct at_writer w;
};

/* ---- options ------------------------------------------------------- */

static unsigned
parse_port(const char *s, const char *end)
{
	unsigned long v = 0;

	if (s == end || end - s > 5)
		return 0;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	return v <= 65535 ? (unsigned)v : 0;
}

/* "3271,3273-3279": 0, or -1 when it is not such a list. */
static int
parse_ports(const char *arg, uint8_t *set)
{
	const char *s = arg;

	for (;;) {
		const char *comma = strchrnul(s, ','), *dash;
		unsigned a, b;

		dash = memchr(s, '-', (size_t)(comma - s));
		if (dash != NULL) {
			a = parse_port(s, dash);
			b = parse_port(dash + 1, comma);
		} else
			a = b = parse_port(s, comma);
		if (a == 0 || b == 0 || b < a)
			return -1;
		for (unsigned p = a; p <= b; p++)
			set[p / 8] |= (uint8_t)(1u << (p % 8));
		if (*comma == '\0')
			return 0;
		s = comma + 1;
	}
}

static int
port_wanted(const struct seqjoin *sj, unsigned port)
{
	return sj->portset == NULL ||
	    (sj->portset[port / 8] & (1u << (port % 8))) != 0;
}

/* ---- columns and the join ------------------------------------------ */

static struct column *
column_add(struct seqjoin *sj, unsigned port, const char *label)
{
	struct column *c = ecalloc(1, sizeof(*c));

	c->port = port;
	snprintf(c->portname, sizeof(c->portname), "%u", port);
	c->name = label != NULL ? label : c->portname;
	c->frontier = -1;
	if (sj->cap > 0)
		c->cells = ecalloc(sj->cap, sizeof(*c->cells));
	if (sj->ncols == sj->colcap) {
		sj->colcap = sj->colcap ? sj->colcap * 2 : 8;
		sj->cols = ereallocarray(sj->cols, sj->colcap,
		    sizeof(*sj->cols));
	}
	sj->cols[sj->ncols++] = c;
	sj->bycol[port] = c;
	return c;
}

/* The column of server port `port`, or NULL when it cannot have one. */
static struct column *
column_of(struct seqjoin *sj, unsigned port)
{
	if (sj->bycol[port] != NULL)
		return sj->bycol[port];
	if (sj->fixed || sj->header_done || !port_wanted(sj, port))
		return NULL;
	return column_add(sj, port, NULL);
}

static int
by_port(const void *a, const void *b)
{
	const struct column *x = *(struct column *const *)a;
	const struct column *y = *(struct column *const *)b;

	return (x->port > y->port) - (x->port < y->port);
}

static void
write_header(struct seqjoin *sj)
{
	static const char *const metric[] = { "time", "rtt", "owd", "retx" };

	if (sj->header_done)
		return;
	if (!sj->fixed && sj->ncols > 1)
		qsort(sj->cols, sj->ncols, sizeof(*sj->cols), by_port);
	at_put(&sj->w, "seq");
	at_put(&sj->w, "born");
	for (size_t i = 0; i < sj->ncols; i++)
		for (size_t m = 0; m < 4; m++) {
			char *name;

			/* at_put: a label may need quoting */
			name = esprintf("%s.%s", sj->cols[i]->name, metric[m]);
			at_put(&sj->w, name);
			free(name);
		}
	if (at_end(&sj->w) != 0)
		err(EXIT_DATA, "stdout");
	sj->header_done = 1;
}

static size_t
ix(const struct seqjoin *sj, int64_t seq)
{
	return (size_t)seq & (sj->cap - 1);
}

/* Makes room for rows [lo, hi) in a ring of at least `span` rows. */
static void
join_grow(struct seqjoin *sj, int64_t lo, int64_t hi)
{
	size_t cap = sj->cap ? sj->cap : 1024;
	struct rowmeta *meta;

	while (cap < (size_t)(hi - lo))
		cap *= 2;
	if (cap == sj->cap)
		return;
	meta = ecalloc(cap, sizeof(*meta));
	for (int64_t s = sj->lo; s < sj->hi; s++)
		meta[(size_t)s & (cap - 1)] = sj->meta[ix(sj, s)];
	for (size_t i = 0; i < sj->ncols; i++) {
		struct column *c = sj->cols[i];
		struct cell *cells = ecalloc(cap, sizeof(*cells));

		for (int64_t s = sj->lo; s < sj->hi; s++)
			cells[(size_t)s & (cap - 1)] = c->cells[ix(sj, s)];
		free(c->cells);
		c->cells = cells;
	}
	free(sj->meta);
	sj->meta = meta;
	sj->cap = cap;
}

static void
put_born(struct seqjoin *sj, uint64_t born, uint8_t flag)
{
	if (flag == REC_DATA_US)
		at_putf(&sj->w, "%" PRIu64 ".%03" PRIu64, born / 1000,
		    born % 1000);
	else
		at_putf(&sj->w, "%" PRIu64, born);
}

static void
put_cell(struct seqjoin *sj, const struct cell *c)
{
	if (!c->has) {
		for (int i = 0; i < 4; i++)
			at_put(&sj->w, "");
		return;
	}
	nst_put_s(&sj->w, c->time_ns);
	if (c->rtt_ns < 0)
		at_put(&sj->w, "");
	else
		nst_put_ms(&sj->w, c->rtt_ns);
	nst_put_ms(&sj->w, c->owd_ns);
	if (c->retx == RETX_NONE)
		at_put(&sj->w, "");
	else
		at_putf(&sj->w, "%u", c->retx);
}

static void
end_line(struct seqjoin *sj)
{
	if (at_end(&sj->w) != 0)
		err(EXIT_DATA, "stdout");
}

/* Prints row `seq` if it has a copy, then clears it. */
static void
emit_row(struct seqjoin *sj, int64_t seq)
{
	struct rowmeta *m = &sj->meta[ix(sj, seq)];

	if (m->used) {
		write_header(sj);
		at_putf(&sj->w, "%" PRId64, seq);
		put_born(sj, m->born, m->flag);
		for (size_t i = 0; i < sj->ncols; i++)
			put_cell(sj, &sj->cols[i]->cells[ix(sj, seq)]);
		end_line(sj);
		sj->emitted = 1;
	}
	for (size_t i = 0; i < sj->ncols; i++)
		sj->cols[i]->cells[ix(sj, seq)].has = 0;
	m->used = 0;
}

/* Every path has row `seq`, or has gone past it, or has ended. */
static int
row_complete(const struct seqjoin *sj, int64_t seq)
{
	for (size_t i = 0; i < sj->ncols; i++) {
		const struct column *c = sj->cols[i];

		if (c->cells[ix(sj, seq)].has)
			continue;
		if (c->seen && c->live == 0)
			continue;
		if (c->frontier > seq)
			continue;
		return 0;
	}
	return 1;
}

/* Outputs rows from the lowest while they are done (all at end of input). */
static void
join_emit(struct seqjoin *sj, int eof)
{
	while (sj->lo < sj->hi) {
		const struct rowmeta *m = &sj->meta[ix(sj, sj->lo)];
		int done = eof || m->created <= sj->now - sj->window_ns ||
		    ((sj->fixed || sj->header_done) && row_complete(sj, sj->lo));

		if (!done)
			break;
		emit_row(sj, sj->lo);
		sj->lo++;
	}
}

static uint64_t
born_us(uint64_t born, uint8_t flag)
{
	return flag == REC_DATA_US ? born : born * 1000;
}

static void
join_push(struct seqjoin *sj, struct column *col, int64_t seq,
    uint64_t born, uint8_t flag, const struct cell *cell)
{
	struct rowmeta *m;
	struct cell *dst;

	if (!sj->started) {
		sj->started = 1;
		sj->lo = sj->hi = seq;
	}
	if (seq < sj->lo && sj->emitted) {
		/* its row is out already: a line of its own */
		struct cell late = *cell;

		late.has = 1;
		write_header(sj);
		at_putf(&sj->w, "%" PRId64, seq);
		put_born(sj, born, flag);
		for (size_t i = 0; i < sj->ncols; i++)
			put_cell(sj, sj->cols[i] == col ? &late :
			    &(struct cell){ 0 });
		end_line(sj);
		sj->n.rec_late++;
		return;
	}
	int64_t lo = seq < sj->lo ? seq : sj->lo;
	int64_t hi = seq >= sj->hi ? seq + 1 : sj->hi;

	while (hi - lo > JOIN_SPAN_MAX && sj->lo < sj->hi && seq >= sj->lo) {
		/* too many open rows: the oldest go out early */
		if (sj->meta[ix(sj, sj->lo)].used)
			sj->n.rec_forced++;
		emit_row(sj, sj->lo);
		lo = ++sj->lo;
	}
	if (sj->lo == sj->hi && seq >= sj->hi) {
		/* nothing open: start over here, far ahead */
		sj->lo = sj->hi = lo = seq;
		hi = seq + 1;
	}
	if (hi - lo > JOIN_SPAN_MAX) {
		/* before anything was output, far below: cannot hold it */
		sj->n.rec_forced++;
		return;
	}
	join_grow(sj, lo, hi);
	for (int64_t s = lo; s < sj->lo; s++) {
		memset(&sj->meta[ix(sj, s)], 0, sizeof(*m));
		sj->meta[ix(sj, s)].created = sj->now;
	}
	for (int64_t s = sj->hi; s < hi; s++) {
		memset(&sj->meta[ix(sj, s)], 0, sizeof(*m));
		sj->meta[ix(sj, s)].created = sj->now;
		for (size_t i = 0; i < sj->ncols; i++)
			sj->cols[i]->cells[ix(sj, s)].has = 0;
	}
	for (int64_t s = lo; s < sj->lo; s++)
		for (size_t i = 0; i < sj->ncols; i++)
			sj->cols[i]->cells[ix(sj, s)].has = 0;
	sj->lo = lo;
	sj->hi = hi;
	m = &sj->meta[ix(sj, seq)];
	dst = &col->cells[ix(sj, seq)];
	if (dst->has) {
		sj->n.rec_dup++;
		return;
	}
	*dst = *cell;
	dst->has = 1;
	/* copies on different paths may be stamped apart: keep the earliest */
	if (!m->used || born_us(born, flag) < born_us(m->born, m->flag)) {
		m->used = 1;
		m->born = born;
		m->flag = flag;
	}
}

/* ---- connections ---------------------------------------------------- */

static struct conn *
conn_new(struct seqjoin *sj, const char *key)
{
	struct conn *c = ecalloc(1, sizeof(*c));

	c->entry = rowconn_add(sj->table, key, c);
	c->next = sj->conns;
	if (sj->conns != NULL)
		sj->conns->prev = c;
	sj->conns = c;
	return c;
}

static void
conn_free(struct seqjoin *sj, struct conn *c)
{
	rowconn_remove(sj->table, c->entry);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		sj->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	reasm_free(c->half[0]);
	reasm_free(c->half[1]);
	free(c);
}

/* Whether data or the end of the connection was seen. */
static int
conn_started(const struct conn *c)
{
	return c->closed ||
	    (c->half[0] != NULL && reasm_started(c->half[0])) ||
	    (c->half[1] != NULL && reasm_started(c->half[1]));
}

/* Outputs everything a connection still holds, then forgets it. */
static void
conn_retire(struct seqjoin *sj, struct conn *c)
{
	for (int d = 0; d < 2; d++)
		if (c->half[d] != NULL)
			reasm_finish(c->half[d]);
	conn_free(sj, c);
}

static struct column *
half_column(struct seqjoin *sj, struct conn *c, int d)
{
	if (!c->col_known[d]) {
		c->col[d] = column_of(sj, c->server);
		c->col_known[d] = c->col[d] != NULL || sj->header_done ||
		    sj->fixed;
	}
	return c->col[d];
}

/* lib/reasm hands over a finished record. */
static void
on_record(void *ctx, const struct reasm_rec *rec)
{
	struct half_ctx *h = ctx;
	struct seqjoin *sj = h->sj;
	struct column *col = half_column(sj, h->c, h->d);
	struct cell cell = { 0 };
	__int128 born_ns, owd;

	if (col == NULL) {
		sj->n.rec_unplaced++;
		return;
	}
	col->seen = 1;
	/* born is whatever the sender wrote: keep the arithmetic in range */
	born_ns = (__int128)rec->born * (rec->flag == REC_DATA_US ? 1000 :
	    NST_MS);
	owd = (__int128)rec->time_ns - born_ns;
	cell.time_ns = rec->time_ns;
	cell.owd_ns = owd < INT64_MIN ? INT64_MIN : owd > INT64_MAX ?
	    INT64_MAX : (int64_t)owd;
	cell.rtt_ns = rec->rtt_ns;
	cell.retx = (uint8_t)rec->retx;
	join_push(sj, col, rec->seq, rec->born, rec->flag, &cell);
}

static struct reasm *
half_get(struct seqjoin *sj, struct conn *c, int d)
{
	if (c->half[d] == NULL) {
		struct reasm_cfg cfg = {
			.len = sj->reclen,
			.window_ns = sj->window_ns,
			.grace_ns = sj->grace_ns,
			.out = on_record,
			.ctx = &c->ctx[d],
			.stats = &sj->rs,
		};

		c->ctx[d] = (struct half_ctx){ sj, c, d };
		c->half[d] = reasm_new(&cfg);
	}
	return c->half[d];
}

/* Ticks every direction, frees ended connections, recomputes what the
 * columns can still expect, and outputs the rows that are done. */
static void
sweep(struct seqjoin *sj, int eof)
{
	for (size_t i = 0; i < sj->ncols; i++) {
		sj->cols[i]->live = 0;
		sj->cols[i]->frontier = -1;
	}
	for (struct conn *c = sj->conns, *next; c != NULL; c = next) {
		int gone = 1;

		next = c->next;
		for (int d = 0; d < 2; d++) {
			struct reasm *h = c->half[d];
			struct column *col;
			int64_t f;

			if (h == NULL)
				continue;
			if (eof)
				reasm_finish(h);
			else
				reasm_tick(h, sj->now);
			if (reasm_drained(h) || (eof && reasm_held(h) == 0))
				continue;
			gone = 0;
			if (reasm_state(h) != REASM_SYNCED ||
			    (col = half_column(sj, c, d)) == NULL)
				continue;
			col->live++;
			if (reasm_frontier(h, &f) && f > col->frontier)
				col->frontier = f;
		}
		/* idle past the window with nothing held: it is over */
		if (!gone && !eof && sj->now - c->last > sj->window_ns &&
		    (c->half[0] == NULL || reasm_held(c->half[0]) == 0) &&
		    (c->half[1] == NULL || reasm_held(c->half[1]) == 0))
			gone = 1;
		if (gone && (c->closed || eof ||
		    sj->now - c->last > sj->window_ns))
			conn_free(sj, c);
	}
	join_emit(sj, eof);
}

/* ---- input ----------------------------------------------------------- */

enum { C_TIME, C_SPORT, C_DPORT, C_SEQ, C_ACK, C_LEN, C_FLAGS, C_RETX,
    C_FRETX, C_PAYLOAD, C_NCOL };

static const char *const pkt_names[] = {
	"frame.time_epoch", "tcp.srcport", "tcp.dstport", "tcp.seq_raw",
	"tcp.ack_raw", "tcp.len", "tcp.flags",
	"tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
	"tcp.payload",
};

static int
get_time(const struct at_reader *r, int col, int64_t *ns)
{
	const char *s = at_get(r, col);

	if (nst_parse(s, ns) != 0) {
		at_warn(r, "%s: '%s' is not a number", at_colname(r,
		    (size_t)col), s);
		return -1;
	}
	/* room for the window after it; later than 2116 is no capture */
	if (*ns < 0 || *ns > INT64_C(4500000000) * NST_S) {
		at_warn(r, "%s: '%s' is out of range", at_colname(r,
		    (size_t)col), s);
		return -1;
	}
	return 0;
}

/* An unsigned field no larger than max; empty gives 0 when allowed.
 * tcp.flags is hex as tshark prints it. */
static int
get_uint(const struct at_reader *r, int col, uint64_t max, int empty_ok,
    uint64_t *v)
{
	int rc = strcmp(at_colname(r, (size_t)col), "tcp.flags") == 0 ?
	    at_get_hex(r, col, v) : at_get_u64(r, col, v);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (empty_ok) {
			*v = 0;
			return 0;
		}
		at_warn(r, "%s: empty", at_colname(r, (size_t)col));
		return -1;
	}
	if (*v > max) {
		at_warn(r, "%s: '%s' is out of range", at_colname(r,
		    (size_t)col), at_get(r, col));
		return -1;
	}
	return 0;
}

static int
payload_ok(const struct at_reader *r, const char *hex, size_t *len)
{
	*len = strlen(hex);
	if (strspn(hex, "0123456789abcdefABCDEF:") != *len) {
		at_warn(r, "tcp.payload: '%.16s%s' is not hex", hex,
		    *len > 16 ? "..." : "");
		return -1;
	}
	return 0;
}

static int
read_packets(struct seqjoin *sj, struct at_reader *r)
{
	const char *need[C_NCOL + 2];
	int col[C_NCOL], rc, nneed = 0;
	int64_t next_sweep = INT64_MIN;
	struct rowconn_cols conncols;
	struct rowconn_key key = { 0 };

	for (int i = 0; i < C_NCOL; i++) {
		col[i] = at_col(r, pkt_names[i]);
		need[nneed++] = pkt_names[i];
	}
	rowconn_cols_find(&conncols, r);
	if (!rowconn_cols_enough(&conncols))
		need[nneed++] = "tcp.stream";
	need[nneed] = NULL;
	if (at_require(r, need) != 0)
		return -1;

	while ((rc = at_next(r)) == 1) {
		const char *sp = at_get(r, col[C_SPORT]);
		uint64_t sport, dport, seq, ack, len, flags;
		int64_t t;
		size_t hexlen;
		struct rowconn *entry;
		struct conn *c;
		const char *k;
		int d, retx;

		if (*sp == '\0') {
			sj->n.rows_nottcp++;
			continue;
		}
		if (strchr(sp, ',') != NULL) {
			/* a TCP header quoted in an ICMP error, and the like */
			sj->n.rows_multi++;
			continue;
		}
		if (get_time(r, col[C_TIME], &t) != 0 ||
		    get_uint(r, col[C_SPORT], 65535, 0, &sport) != 0 ||
		    get_uint(r, col[C_DPORT], 65535, 0, &dport) != 0 ||
		    get_uint(r, col[C_SEQ], UINT32_MAX, 0, &seq) != 0 ||
		    get_uint(r, col[C_ACK], UINT32_MAX, 1, &ack) != 0 ||
		    get_uint(r, col[C_LEN], UINT32_MAX, 1, &len) != 0 ||
		    get_uint(r, col[C_FLAGS], 0xfff, 0, &flags) != 0 ||
		    payload_ok(r, at_get(r, col[C_PAYLOAD]), &hexlen) != 0) {
			rc = -1;
			break;
		}
		if (t > sj->now)
			sj->now = t;
		if (next_sweep == INT64_MIN)
			next_sweep = sj->now + SWEEP_NS;
		retx = *at_get(r, col[C_RETX]) != '\0' ||
		    *at_get(r, col[C_FRETX]) != '\0';
		k = rowconn_key(&key, r, &conncols, (unsigned)sport,
		    (unsigned)dport);
		entry = rowconn_find(sj->table, k);
		c = entry != NULL ? rowconn_data(entry) : NULL;
		if (c != NULL && rowconn_reopens(flags, conn_started(c))) {
			/* the same addresses and ports again: a new connection */
			conn_retire(sj, c);
			c = NULL;
		}
		if (c == NULL) {
			c = conn_new(sj, k);
			c->port[0] = (unsigned)sport;
			c->port[1] = (unsigned)dport;
			c->server = rowconn_server_port(flags, (unsigned)sport,
			    (unsigned)dport);
			c->ignored = !port_wanted(sj, c->server);
		}
		c->last = sj->now;
		if (c->ignored)
			goto next;
		d = sport == c->port[0] && dport == c->port[1] ? 0 : 1;
		if (flags & TH_SYN)
			reasm_isn(half_get(sj, c, d), (uint32_t)seq);
		if (len > 0)
			reasm_data(half_get(sj, c, d), t, (uint32_t)seq,
			    (uint32_t)len, at_get(r, col[C_PAYLOAD]), hexlen,
			    retx);
		if ((flags & TH_ACK) && c->half[!d] != NULL)
			reasm_ack(c->half[!d], t, (uint32_t)ack);
		if (flags & TH_FIN)
			c->fin[d] = 1;
		if (!c->closed && ((flags & TH_RST) || (c->fin[0] && c->fin[1]))) {
			c->closed = 1;
			for (int k = 0; k < 2; k++)
				if (c->half[k] != NULL)
					reasm_close(c->half[k], t);
		}
next:
		if (sj->now >= next_sweep) {
			sweep(sj, 0);
			next_sweep = sj->now + SWEEP_NS;
		}
	}
	rowconn_key_free(&key);
	return rc;
}

/* Send time as udrecv prints it: integer ms, or ms with decimals (us). */
static int
get_born(const struct at_reader *r, int col, uint64_t *born, uint8_t *flag)
{
	const char *s = at_get(r, col);
	int64_t ns;

	if (*s == '-' || nst_parse_ms(s, &ns) != 0) {
		at_warn(r, "born: '%s' is not a number", s);
		return -1;
	}
	if (strchr(s, '.') != NULL) {
		*flag = REC_DATA_US;
		*born = (uint64_t)(ns / 1000);
	} else {
		*flag = REC_DATA_MS;
		*born = (uint64_t)(ns / NST_MS);
	}
	return 0;
}

static int
read_udrecv(struct seqjoin *sj, struct at_reader *r)
{
	static const char *const need[] = { "path", "seq", "born", "time",
	    NULL };
	int cpath, cseq, cborn, ctime, cowd, rc;
	int64_t next_sweep = INT64_MIN;

	if (at_require(r, need) != 0)
		return -1;
	cpath = at_col(r, "path");
	cseq = at_col(r, "seq");
	cborn = at_col(r, "born");
	ctime = at_col(r, "time");
	cowd = at_col(r, "owd");
	while ((rc = at_next(r)) == 1) {
		uint64_t port, seq, born;
		uint8_t flag;
		int64_t t, owd;
		struct cell cell = { 0 };
		struct column *col;
		const char *o;

		if (get_uint(r, cpath, 65535, 0, &port) != 0 ||
		    get_uint(r, cseq, UINT32_MAX, 0, &seq) != 0 ||
		    get_born(r, cborn, &born, &flag) != 0 ||
		    get_time(r, ctime, &t) != 0)
			return -1;
		o = at_get(r, cowd);
		if (*o == '\0')
			owd = t - (flag == REC_DATA_US ? (int64_t)born * 1000 :
			    (int64_t)born * NST_MS);
		else if (nst_parse_ms(o, &owd) != 0) {
			at_warn(r, "owd: '%s' is not a number", o);
			return -1;
		}
		if (t > sj->now)
			sj->now = t;
		if (next_sweep == INT64_MIN)
			next_sweep = sj->now + SWEEP_NS;
		if (!port_wanted(sj, (unsigned)port))
			continue;
		if ((col = column_of(sj, (unsigned)port)) == NULL) {
			sj->n.rec_unplaced++;
			continue;
		}
		col->seen = col->live = 1;
		if ((int64_t)seq + 1 > col->frontier)
			col->frontier = (int64_t)seq + 1;
		cell.time_ns = t;
		cell.owd_ns = owd;
		cell.rtt_ns = -1;
		cell.retx = RETX_NONE;
		join_push(sj, col, (int64_t)seq, born, flag, &cell);
		if (sj->now >= next_sweep) {
			for (size_t i = 0; i < sj->ncols; i++)
				sj->cols[i]->live = 1;
			join_emit(sj, 0);
			next_sweep = sj->now + SWEEP_NS;
		}
	}
	return rc;
}

/* ---- main ------------------------------------------------------------ */

static void
report(const struct seqjoin *sj)
{
	const struct reasm_stats *s = &sj->rs;
	const struct {
		uint64_t n;
		const char *what;
	} line[] = {
		{ sj->n.rows_nottcp, "rows without TCP ignored" },
		{ sj->n.rows_multi, "rows with several TCP headers (ICMP "
		    "errors) ignored" },
		{ s->bytes_before, "bytes before the first whole record "
		    "(capture started mid-stream)" },
		{ s->bytes_norec, "bytes in streams that hold no records" },
		{ s->bytes_after_end, "bytes after an end record" },
		{ s->bytes_beyond, "bytes too far ahead of the oldest open "
		    "record, ignored" },
		{ s->rec_incomplete, "records whose header or last byte was "
		    "not captured" },
		{ s->rec_notdata, "records with a flag that is not data" },
		{ s->retx_late, "retransmissions of records already output "
		    "(retx not set)" },
		{ sj->n.rec_dup, "records seen twice on one path (second copy "
		    "ignored)" },
		{ sj->n.rec_late, "records later than the window, output as "
		    "lines of their own" },
		{ sj->n.rec_unplaced, "records of paths without a column "
		    "(started after output began, or not in -L), ignored" },
		{ sj->n.rec_forced, "rows output early: too many sequence "
		    "numbers open at once" },
	};

	for (size_t i = 0; i < sizeof(line) / sizeof(line[0]); i++)
		if (line[i].n > 0)
			warnx("%" PRIu64 " %s", line[i].n, line[i].what);
}

static void
parse_options(struct seqjoin *sj, int argc, char **argv)
{
	const char *labelfile = NULL;
	int ch;

	sj->reclen = REC_DEFAULT_LEN;
	sj->window_ns = 60 * NST_S;
	while ((ch = getopt(argc, argv, "s:L:p:W:")) != -1) {
		char *end;
		unsigned long v;

		switch (ch) {
		case 's':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno != 0 || v < REC_HDR_LEN || v > 65536) {
				warnx("-s: '%s' is not a record length "
				    "(%d-65536)", optarg, REC_HDR_LEN);
				tk_usage(synopsis);
			}
			sj->reclen = v;
			break;
		case 'L':
			labelfile = optarg;
			break;
		case 'p':
			sj->portset = ecalloc(65536 / 8, 1);
			if (parse_ports(optarg, sj->portset) != 0) {
				warnx("-p: '%s' is not a list of ports",
				    optarg);
				tk_usage(synopsis);
			}
			break;
		case 'W':
			if (nst_parse(optarg, &sj->window_ns) != 0 ||
			    sj->window_ns <= 0 ||
			    sj->window_ns > INT64_C(1000000) * NST_S) {
				warnx("-W: '%s' is not a number of seconds "
				    "above 0, at most 1000000", optarg);
				tk_usage(synopsis);
			}
			break;
		default:
			tk_usage(synopsis);
		}
	}
	sj->grace_ns = sj->window_ns < GRACE_MAX_NS ? sj->window_ns :
	    GRACE_MAX_NS;
	if (labelfile != NULL) {
		if ((sj->labels = labels_read(labelfile)) == NULL)
			exit(EXIT_USAGE);
		sj->fixed = 1;
		for (size_t i = 0; i < labels_count(sj->labels); i++)
			if (port_wanted(sj, labels_port(sj->labels, i)))
				column_add(sj, labels_port(sj->labels, i),
				    labels_name(sj->labels, i));
	}
}

static void
seqjoin_free(struct seqjoin *sj)
{
	while (sj->conns != NULL)
		conn_free(sj, sj->conns);
	for (size_t i = 0; i < sj->ncols; i++) {
		free(sj->cols[i]->cells);
		free(sj->cols[i]);
	}
	free(sj->cols);
	rowconn_table_free(sj->table, NULL);
	free(sj->meta);
	free(sj->portset);
	labels_free(sj->labels);
	at_writer_free(&sj->w);
	free(sj);
}

int
main(int argc, char **argv)
{
	struct seqjoin *sj;
	struct at_reader *r;
	int rc;

	tk_std_options(argc, argv, synopsis, options);
	sj = ecalloc(1, sizeof(*sj));
	sj->table = rowconn_table_new();
	parse_options(sj, argc, argv);
	at_writer_init(&sj->w, stdout);
	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL) {
		seqjoin_free(sj);
		return EXIT_DATA;
	}
	sj->udrecv = at_col(r, "tcp.seq_raw") < 0 && at_col(r, "path") >= 0;
	rc = sj->udrecv ? read_udrecv(sj, r) : read_packets(sj, r);
	at_reader_free(r);
	if (rc == 0) {
		if (sj->udrecv)
			join_emit(sj, 1);
		else
			sweep(sj, 1);
		write_header(sj);
		if (at_flush(&sj->w) != 0)
			err(EXIT_DATA, "stdout");
		report(sj);
	}
	seqjoin_free(sj);
	return rc == 0 ? 0 : EXIT_DATA;
}

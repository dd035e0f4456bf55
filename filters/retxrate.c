/*
 * retxrate: per path and direction, how much of what was captured was
 * retransmitted.  Reads pcap2csv (or tshark -T fields) rows.  A path is
 * named by its server port (lib/rowconn, as seqjoin names it); a
 * connection's direction is the one its data flows in (ul toward the
 * server port, dl from it).  Like the lab's per-port captures, the frame
 * count takes every frame of the connection, both ways, so pure ACKs are in
 * it (the lab's ratio); the segment and byte counts take only the data.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atcsv.h"
#include "common.h"
#include "labels.h"
#include "rowconn.h"
#include "tcp.h"
#include "util.h"

static const char synopsis[] = "[-L LABELS] [FILE...]";
static const char options[] =
    "  -L LABELS    only the ports of the port@label lines of LABELS, so named\n";

enum { DIR_UL, DIR_DL, DIR_NONE, NDIRS };
static const char *const dir_names[NDIRS] = { "ul", "dl", "" };

/* What a set of frames holds; [t] by the way they travel (DIR_UL: to the
 * server port). */
struct counts {
	uint64_t frames, retx_frames;
	uint64_t segments, retx_segments;
	uint64_t bytes, retx_bytes;
};

/* One TCP connection: its path, and its frames by way of travel, pure
 * (no payload) and data apart. */
struct conn {
	uint16_t server_port;
	struct counts data[2], pure[2];
};

struct path {
	uint16_t port;
	int dir;
	struct counts c;
};

struct paths {
	struct path *v;
	size_t n;
};

struct cols {
	struct rowconn_cols conn;
	int sport, dport, len, flags, retx, fast;
	int time, seq;		/* for frames seen twice; -1 when absent */
};

/* A set of 64-bit frame fingerprints (open addressing; 0 is empty). */
struct seen {
	uint64_t *slot;
	size_t cap, n;
};

struct state {
	struct rowconn_table *table;
	struct rowconn_key key;
	struct paths ps;
	struct labels *labels;
	struct seen seen;
	struct conn **conns;	/* every connection (the table owns them) */
	size_t nconns, conncap;
	uint64_t not_tcp, unlabelled, twice;
	const struct at_reader *r;	/* for messages */
};

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (h ^ 0xff) * 1099511628211u;	/* a field separator */
}

/* Adds h; 1 if it was there already. */
static int
seen_add(struct seen *s, uint64_t h)
{
	size_t i;

	if (h == 0)
		h = 1;
	if (2 * (s->n + 1) > s->cap) {
		struct seen t = { NULL, s->cap ? 2 * s->cap : 4096, 0 };

		t.slot = ecalloc(t.cap, sizeof(*t.slot));
		for (size_t k = 0; k < s->cap; k++)
			if (s->slot[k] != 0)
				(void)seen_add(&t, s->slot[k]);
		free(s->slot);
		*s = t;
	}
	for (i = h & (s->cap - 1); s->slot[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return 1;
	s->slot[i] = h;
	s->n++;
	return 0;
}

/*
 * Output order: with a label map its ports in file order; without one, by
 * port number; ul, dl, then frames of connections that carried no data.
 */
static int
path_cmp(const void *a, const void *b, void *labels)
{
	const struct path *x = a, *y = b;
	long ix = x->port, iy = y->port;

	if (labels != NULL) {
		ix = labels_index(labels, x->port);
		iy = labels_index(labels, y->port);
	}
	if (ix != iy)
		return (ix > iy) - (ix < iy);
	return (x->dir > y->dir) - (x->dir < y->dir);
}

static struct path *
path_get(struct paths *ps, uint16_t port, int dir)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].port == port && ps->v[i].dir == dir)
			return &ps->v[i];
	ps->v = ereallocarray(ps->v, ps->n + 1, sizeof(*ps->v));
	memset(&ps->v[ps->n], 0, sizeof(*ps->v));
	ps->v[ps->n].port = port;
	ps->v[ps->n].dir = dir;
	return &ps->v[ps->n++];
}

/* to += from, each sum checked: 0, or -1 when one passes 2^64 - 1. */
static int
counts_add(struct counts *to, const struct counts *from)
{
	return __builtin_add_overflow(to->frames, from->frames, &to->frames) |
	    __builtin_add_overflow(to->retx_frames, from->retx_frames,
	    &to->retx_frames) |
	    __builtin_add_overflow(to->segments, from->segments,
	    &to->segments) |
	    __builtin_add_overflow(to->retx_segments, from->retx_segments,
	    &to->retx_segments) |
	    __builtin_add_overflow(to->bytes, from->bytes, &to->bytes) |
	    __builtin_add_overflow(to->retx_bytes, from->retx_bytes,
	    &to->retx_bytes) ? -1 : 0;
}

/*
 * A connection's frames into its path's rows.  Data in one direction: every
 * frame counts for it.  Data both ways: data frames for the way they travel,
 * pure ones for the other way (they acknowledge it).  No data: the row
 * without a direction.  0, or -1 after a message on overflow.
 */
static int
conn_flush(struct state *st, struct conn *c)
{
	int has[2] = { c->data[0].segments > 0, c->data[1].segments > 0 };
	int rc = 0;

	if (has[0] || has[1]) {
		for (int t = 0; t < 2; t++) {
			int pure_dir = has[0] && has[1] ? 1 - t :
			    has[0] ? DIR_UL : DIR_DL;

			if (has[t])
				rc |= counts_add(&path_get(&st->ps,
				    c->server_port, t)->c, &c->data[t]);
			rc |= counts_add(&path_get(&st->ps, c->server_port,
			    pure_dir)->c, &c->pure[t]);
		}
	} else if (c->pure[0].frames + c->pure[1].frames > 0)
		for (int t = 0; t < 2; t++)
			rc |= counts_add(&path_get(&st->ps, c->server_port,
			    DIR_NONE)->c, &c->pure[t]);
	memset(c->data, 0, sizeof(c->data));
	memset(c->pure, 0, sizeof(c->pure));
	if (rc != 0)
		at_warn(st->r, "port %u: a count passes 2^64 - 1",
		    c->server_port);
	return rc;
}

static int
get_port(const struct at_reader *r, int col, uint64_t *port)
{
	int got = at_get_u64(r, col, port);

	if (got == 1 && *port > 65535) {
		at_warn(r, "%s: '%s' is not a port", at_colname(r, (size_t)col),
		    at_get(r, col));
		return -1;
	}
	return got;
}

/* Whether the row is a frame already counted: identical time, addresses,
 * ports, seq and length (the same capture given twice). */
static int
seen_twice(struct state *st, const struct at_reader *r, const struct cols *c)
{
	uint64_t h = 1469598103934665603u;

	if (c->time < 0)
		return 0;
	h = fnv(h, at_get(r, c->time));
	h = fnv(h, at_get(r, c->conn.src));
	h = fnv(h, at_get(r, c->conn.dst));
	h = fnv(h, at_get(r, c->conn.src6));
	h = fnv(h, at_get(r, c->conn.dst6));
	h = fnv(h, at_get(r, c->sport));
	h = fnv(h, at_get(r, c->dport));
	h = fnv(h, at_get(r, c->seq));
	h = fnv(h, at_get(r, c->len));
	return seen_add(&st->seen, h);
}

/* Counts one row: 0, or -1 after a message. */
static int
count_row(struct state *st, const struct at_reader *r, const struct cols *c)
{
	uint64_t sport, dport, len = 0, flags = 0;
	struct rowconn *entry;
	struct conn *conn, *old;
	struct counts *k;
	void *retired;
	const char *key;
	int got_s, got_d, retx, t;

	if ((got_s = get_port(r, c->sport, &sport)) < 0 ||
	    (got_d = get_port(r, c->dport, &dport)) < 0)
		return -1;
	if (got_s == 0 || got_d == 0) {
		st->not_tcp++;
		return 0;
	}
	if (at_get_u64(r, c->len, &len) < 0 ||
	    at_get_hex(r, c->flags, &flags) < 0)
		return -1;
	if (seen_twice(st, r, c)) {
		st->twice++;
		return 0;
	}

	/* lib/rowconn owns the connection's life: the first frame decides its
	 * server port, and so does a SYN opening a new connection on the
	 * same addresses and ports (the old one's counts go to its path) */
	key = rowconn_key(&st->key, r, &c->conn, (unsigned)sport,
	    (unsigned)dport);
	entry = rowconn_row(st->table, key, (unsigned)sport, (unsigned)dport,
	    flags, len, &retired);
	old = retired;
	if (old != NULL && conn_flush(st, old) != 0)
		return -1;
	if ((conn = rowconn_data(entry)) == NULL) {
		if ((conn = old) == NULL) {
			conn = ecalloc(1, sizeof(*conn));
			if (st->nconns == st->conncap) {
				st->conncap = st->conncap ? 2 * st->conncap :
				    64;
				st->conns = ereallocarray(st->conns,
				    st->conncap, sizeof(*st->conns));
			}
			st->conns[st->nconns++] = conn;
		}
		rowconn_set_data(entry, conn);
		conn->server_port = (uint16_t)rowconn_server(entry);
	}
	if (st->labels != NULL &&
	    labels_get(st->labels, conn->server_port) == NULL) {
		st->unlabelled++;
		return 0;
	}

	retx = *at_get(r, c->retx) != '\0' || *at_get(r, c->fast) != '\0';
	t = dport == conn->server_port ? DIR_UL : DIR_DL;
	k = len > 0 ? &conn->data[t] : &conn->pure[t];
	if (__builtin_add_overflow(k->bytes, len, &k->bytes) ||
	    (retx && __builtin_add_overflow(k->retx_bytes, len,
	    &k->retx_bytes))) {
		at_warn(r, "port %u: the byte count passes 2^64 - 1",
		    conn->server_port);
		return -1;
	}
	k->frames++;
	k->retx_frames += retx;
	if (len > 0) {
		k->segments++;
		k->retx_segments += retx;
	}
	return 0;
}

static void
put_ratio(struct at_writer *w, uint64_t part, uint64_t whole)
{
	if (whole == 0)
		at_put(w, "");
	else
		at_putf(w, "%.6f", (double)part / (double)whole);
}

static void
print_paths(struct at_writer *w, struct paths *ps, struct labels *labels)
{
	static const char *const head[] = { "path", "dir",
	    "frames_with_acks", "retx_frames", "frame_rate_with_acks",
	    "data_segments", "retx_segments", "segment_rate",
	    "payload_bytes", "retx_bytes", "byte_rate" };
	int present[NDIRS] = { 0, 0, 0 };

	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		at_put(w, head[i]);
	at_end(w);
	/*
	 * Every labelled path is listed, captured or not: one that carried
	 * nothing has a row in every direction present, as in seqjoin.
	 */
	for (size_t i = 0; i < ps->n; i++)
		present[ps->v[i].dir] = 1;
	for (size_t i = 0; labels != NULL && i < labels_count(labels); i++) {
		uint16_t port = (uint16_t)labels_port(labels, i);
		int any = 0;

		for (size_t k = 0; k < ps->n; k++)
			any |= ps->v[k].port == port;
		if (any)
			continue;
		for (int d = DIR_UL; d <= DIR_DL; d++)
			if (present[d] || (!present[DIR_UL] && !present[DIR_DL]))
				(void)path_get(ps, port, d);
	}
	if (ps->n > 0)
		qsort_r(ps->v, ps->n, sizeof(*ps->v), path_cmp, labels);
	for (size_t i = 0; i < ps->n; i++) {
		const struct path *p = &ps->v[i];
		const char *name = labels ? labels_get(labels, p->port) : NULL;

		if (name != NULL)
			at_put(w, name);
		else
			at_putf(w, "%u", p->port);
		at_put(w, dir_names[p->dir]);
		at_putf(w, "%" PRIu64, p->c.frames);
		at_putf(w, "%" PRIu64, p->c.retx_frames);
		put_ratio(w, p->c.retx_frames, p->c.frames);
		at_putf(w, "%" PRIu64, p->c.segments);
		at_putf(w, "%" PRIu64, p->c.retx_segments);
		put_ratio(w, p->c.retx_segments, p->c.segments);
		at_putf(w, "%" PRIu64, p->c.bytes);
		at_putf(w, "%" PRIu64, p->c.retx_bytes);
		put_ratio(w, p->c.retx_bytes, p->c.bytes);
		at_end(w);
	}
}

/* Counts every row: 0, or -1 after a message. */
static int
count_rows(struct at_reader *r, struct state *st)
{
	static const char *const need[] = { "tcp.srcport", "tcp.dstport",
	    "tcp.len", "tcp.flags", "tcp.analysis.retransmission",
	    "tcp.analysis.fast_retransmission", NULL };
	struct cols c;
	int rc;

	if (at_require(r, need) != 0)
		return -1;
	rowconn_cols_find(&c.conn, r);
	c.sport = at_col(r, "tcp.srcport");
	c.dport = at_col(r, "tcp.dstport");
	c.len = at_col(r, "tcp.len");
	c.flags = at_col(r, "tcp.flags");
	c.retx = at_col(r, "tcp.analysis.retransmission");
	c.fast = at_col(r, "tcp.analysis.fast_retransmission");
	if ((c.time = at_col(r, "frame.time_epoch")) < 0)
		c.time = at_col(r, "frame.time");
	if ((c.seq = at_col(r, "tcp.seq_raw")) < 0)
		c.seq = at_col(r, "tcp.seq");
	st->r = r;

	while ((rc = at_next(r)) == 1)
		if (count_row(st, r, &c) < 0)
			return -1;
	return rc;
}

/* Every connection's last counts into its paths. */
static int
flush_all(struct state *st)
{
	for (size_t i = 0; i < st->nconns; i++)
		if (conn_flush(st, st->conns[i]) != 0)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct at_reader *r;
	struct at_writer w;
	struct state st;
	const char *label_file = NULL;
	int ch, rc, status = 0;

	tk_std_options(argc, argv, synopsis, options);
	memset(&st, 0, sizeof(st));
	while ((ch = getopt(argc, argv, "L:")) != -1) {
		switch (ch) {
		case 'L':
			label_file = optarg;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (label_file != NULL &&
	    (st.labels = labels_read(label_file)) == NULL)
		return EXIT_DATA;

	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL) {
		labels_free(st.labels);
		return EXIT_DATA;
	}
	st.table = rowconn_table_new();
	rc = count_rows(r, &st);
	if (rc == 0)
		rc = flush_all(&st);
	at_reader_free(r);
	if (rc == 0 && st.nconns == 0) {
		warnx("%s: no TCP rows: nothing to count (pcap2csv's rows of "
		    "a capture of TCP paths?)", argc > optind ? argv[optind] :
		    "stdin");
		rc = -1;
	}
	if (rc == 0) {
		if (st.not_tcp > 0)
			warnx("%" PRIu64 " rows without TCP ports not counted",
			    st.not_tcp);
		if (st.twice > 0)
			warnx("%" PRIu64 " frames seen twice (identical time, "
			    "addresses, ports, seq and length: the same "
			    "capture given twice?) counted once", st.twice);
		if (st.unlabelled > 0)
			warnx("%" PRIu64 " frames of ports not in %s left out",
			    st.unlabelled, label_file);
		at_writer_init(&w, stdout);
		print_paths(&w, &st.ps, st.labels);
		if (at_flush(&w) != 0) {
			warn("write error");
			status = EXIT_DATA;
		}
		at_writer_free(&w);
	} else
		status = EXIT_DATA;
	rowconn_table_free(st.table, free);
	rowconn_key_free(&st.key);
	free(st.ps.v);
	free(st.seen.slot);
	free(st.conns);
	labels_free(st.labels);
	return status;
}

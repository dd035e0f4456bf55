/*
 * retxrate: per path, how much of what was captured was retransmitted.
 * Reads pcap2csv (or tshark -T fields) rows.  A path is named by its server
 * port; like the lab's per-port captures, it counts every frame of the
 * connections to that port, both directions, so pure ACKs are in the frame
 * count (the lab's ratio) but not in the segment and byte counts.
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
    "  -L LABELS    name paths by the port@label lines of LABELS\n";

struct path {
	uint16_t port;
	uint64_t frames, retx_frames;
	uint64_t segments, retx_segments;
	uint64_t bytes, retx_bytes;
};

struct paths {
	struct path *v;
	size_t n;
};

struct cols {
	struct rowconn_cols conn;
	int sport, dport, len, flags, retx, fast;
};

/* What a row needs besides its columns: the connections seen so far. */
struct conns {
	struct rowconn_table *table;
	struct rowconn_key key;
};

/*
 * Output order: with a label map its ports first, in file order, then the
 * others by port number; without one, by port number.
 */
static int
path_cmp(const void *a, const void *b, void *labels)
{
	const struct path *x = a, *y = b;
	long ix = -1, iy = -1;

	if (labels != NULL) {
		ix = labels_index(labels, x->port);
		iy = labels_index(labels, y->port);
	}
	if (ix >= 0 && iy >= 0)
		return (ix > iy) - (ix < iy);
	if (ix >= 0 || iy >= 0)
		return ix >= 0 ? -1 : 1;
	return (x->port > y->port) - (x->port < y->port);
}

static struct path *
path_get(struct paths *ps, uint16_t port)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].port == port)
			return &ps->v[i];
	ps->v = ereallocarray(ps->v, ps->n + 1, sizeof(*ps->v));
	memset(&ps->v[ps->n], 0, sizeof(*ps->v));
	ps->v[ps->n].port = port;
	return &ps->v[ps->n++];
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

/* Counts one row; 1 counted, 0 not TCP, -1 after a message. */
static int
count_row(const struct at_reader *r, const struct cols *c,
    struct conns *conns, struct paths *ps)
{
	uint64_t sport, dport, len = 0, flags = 0;
	struct rowconn *entry;
	void *old;
	const char *key;
	struct path *p;
	int got_s, got_d, retx;

	if ((got_s = get_port(r, c->sport, &sport)) < 0 ||
	    (got_d = get_port(r, c->dport, &dport)) < 0)
		return -1;
	if (got_s == 0 || got_d == 0)
		return 0;
	if (at_get_u64(r, c->len, &len) < 0 ||
	    at_get_hex(r, c->flags, &flags) < 0)
		return -1;

	/* the first frame of a connection decides its server port, and so
	 * does a SYN opening a new connection on the same addresses and ports */
	key = rowconn_key(&conns->key, r, &c->conn, (unsigned)sport,
	    (unsigned)dport);
	entry = rowconn_row(conns->table, key, (unsigned)sport,
	    (unsigned)dport, flags, len, &old);

	retx = *at_get(r, c->retx) != '\0' || *at_get(r, c->fast) != '\0';
	p = path_get(ps, (uint16_t)rowconn_server(entry));
	p->frames++;
	p->retx_frames += retx;
	if (len > 0) {
		p->segments++;
		p->bytes += len;
		if (retx) {
			p->retx_segments++;
			p->retx_bytes += len;
		}
	}
	return 1;
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
	static const char *const head[] = { "path", "frames", "retx_frames",
	    "frame_rate", "segments", "retx_segments", "segment_rate",
	    "bytes", "retx_bytes", "byte_rate" };

	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		at_put(w, head[i]);
	at_end(w);
	/* Every labelled path is listed, captured or not. */
	for (size_t i = 0; labels != NULL && i < labels_count(labels); i++)
		path_get(ps, (uint16_t)labels_port(labels, i));
	qsort_r(ps->v, ps->n, sizeof(*ps->v), path_cmp, labels);
	for (size_t i = 0; i < ps->n; i++) {
		const struct path *p = &ps->v[i];
		const char *name = labels ? labels_get(labels, p->port) : NULL;

		if (name != NULL)
			at_put(w, name);
		else
			at_putf(w, "%u", p->port);
		at_putf(w, "%" PRIu64, p->frames);
		at_putf(w, "%" PRIu64, p->retx_frames);
		put_ratio(w, p->retx_frames, p->frames);
		at_putf(w, "%" PRIu64, p->segments);
		at_putf(w, "%" PRIu64, p->retx_segments);
		put_ratio(w, p->retx_segments, p->segments);
		at_putf(w, "%" PRIu64, p->bytes);
		at_putf(w, "%" PRIu64, p->retx_bytes);
		put_ratio(w, p->retx_bytes, p->bytes);
		at_end(w);
	}
}

/* Counts every row: 0, or -1 after a message. */
static int
count_rows(struct at_reader *r, struct conns *conns, struct paths *ps,
    uint64_t *skipped)
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

	while ((rc = at_next(r)) == 1) {
		int counted = count_row(r, &c, conns, ps);

		if (counted < 0)
			return -1;
		*skipped += counted == 0;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct at_reader *r;
	struct at_writer w;
	struct paths ps = { NULL, 0 };
	struct labels *labels = NULL;
	const char *label_file = NULL;
	struct conns conns = { NULL, { NULL, 0 } };
	uint64_t skipped = 0;
	int ch, rc, status = 0;

	tk_std_options(argc, argv, synopsis, options);
	while ((ch = getopt(argc, argv, "L:")) != -1) {
		switch (ch) {
		case 'L':
			label_file = optarg;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (label_file != NULL && (labels = labels_read(label_file)) == NULL)
		return EXIT_DATA;

	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL) {
		labels_free(labels);
		return EXIT_DATA;
	}
	conns.table = rowconn_table_new();
	rc = count_rows(r, &conns, &ps, &skipped);
	at_reader_free(r);
	if (rc < 0) {
		rowconn_table_free(conns.table, free);
		rowconn_key_free(&conns.key);
		free(ps.v);
		labels_free(labels);
		return EXIT_DATA;
	}
	if (skipped > 0)
		warnx("%" PRIu64 " rows without TCP ports not counted",
		    skipped);

	at_writer_init(&w, stdout);
	print_paths(&w, &ps, labels);
	if (at_flush(&w) != 0) {
		warn("write error");
		status = EXIT_DATA;
	}
	at_writer_free(&w);
	rowconn_table_free(conns.table, free);
	rowconn_key_free(&conns.key);
	free(ps.v);
	labels_free(labels);
	return status;
}

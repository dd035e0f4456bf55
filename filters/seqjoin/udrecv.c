/*
 * udrecv.c: seqjoin's udrecv rows, `path@seq@born@time@owd`: records
 * already, seen at their receiver.  Their direction is the `dir` column
 * when there is one, else where udrecv ran (--at server: uplink, --at
 * client: downlink), else downlink (udrecv at the client), said on stderr.
 * With --udp, udrecv's rows of a path may come out of order: a row waits
 * a reordered copy SEQTRACK_REORDER_NS.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "nstime.h"
#include "seqjoin.h"
#include "util.h"

struct upath {
	bool have;
	uint64_t maxseq;
	int64_t last;
	struct seqtrack track;
};

/* Send time as udrecv prints it: ms, with decimals for finer stamps. */
static int
get_born(const struct at_reader *r, int col, struct rec_info *ri)
{
	const char *s = at_get(r, col), *dot = strchr(s, '.');
	int64_t ns;

	if (*s == '-' || nst_parse_ms(s, &ns) != 0) {
		at_warn(r, "born: '%s' is not a number", s);
		return -1;
	}
	ri->born_ns = ns;
	ri->born_digits = dot == NULL ? 0 : strlen(dot + 1) > 3 ? 5 : 3;
	return 0;
}

static int
get_dir(const struct seqjoin *sj, const struct at_reader *r, int col,
    enum dir *d)
{
	const char *s = at_get(r, col);

	if (col < 0 || *s == '\0') {
		*d = sj->at_opt == HOST_SERVER ? DIR_UL : DIR_DL;
		return 0;
	}
	if (strcmp(s, "ul") == 0)
		*d = DIR_UL;
	else if (strcmp(s, "dl") == 0)
		*d = DIR_DL;
	else {
		at_warn(r, "dir: '%s' is not ul or dl", s);
		return -1;
	}
	return 0;
}

static void
sweep(struct seqjoin *sj, struct upath *up, int eof)
{
	for (size_t i = 0; i < sj->npaths; i++) {
		struct path *p = sj->paths[i];
		struct upath *u = &up[p->port];

		for (int d = 0; d < 2; d++) {
			p->live[d] = !eof && u->have &&
			    sj->now - u->last <= sj->window_ns;
			p->frontier[d] = seqtrack_frontier(&u->track, u->have,
			    u->maxseq, sj->now);
		}
	}
	join_sweep(sj, eof);
}

int
read_udrecv(struct seqjoin *sj, struct at_reader *r)
{
	static const char *const need[] = { "path", "seq", "born", "time",
	    NULL };
	int cpath, cseq, cborn, ctime, cowd, cdir, rc;
	int64_t next_sweep = INT64_MIN;
	struct upath *up;

	if (at_require(r, need) != 0)
		return -1;
	cpath = at_col(r, "path");
	cseq = at_col(r, "seq");
	cborn = at_col(r, "born");
	ctime = at_col(r, "time");
	cowd = at_col(r, "owd");
	cdir = at_col(r, "dir");
	if (cdir < 0 && sj->at_opt == HOST_UNKNOWN)
		warnx("udrecv rows without a dir column: taken as downlink "
		    "(udrecv at the client); --at server for uplink");
	up = ecalloc(65536, sizeof(*up));
	for (int d = 0; d < 2; d++) {
		sj->at[d] = AT_RECEIVER;
		sj->at_ev[d] = EV_UDRECV;
	}
	while (!sj->too_many_paths && (rc = at_next(r)) == 1) {
		uint64_t port, seq;
		struct rec_info ri = { .kind = REC_KIND_DATA };
		struct join_cell cell = { 0 };
		struct path *p;
		int64_t t, owd;
		const char *o;
		enum dir d;

		if (get_uint(r, cpath, 65535, 0, &port) != 0 ||
		    get_uint(r, cseq, UINT64_MAX, 0, &seq) != 0 ||
		    get_born(r, cborn, &ri) != 0 ||
		    get_time(r, ctime, &t) != 0 ||
		    get_dir(sj, r, cdir, &d) != 0) {
			rc = -1;
			break;
		}
		ri.seq = seq;
		o = at_get(r, cowd);
		if (*o == '\0')
			owd = t - ri.born_ns;
		else if (nst_parse_ms(o, &owd) != 0) {
			at_warn(r, "owd: '%s' is not a number", o);
			rc = -1;
			break;
		}
		if (t > sj->now)
			sj->now = t;
		if (next_sweep == INT64_MIN)
			next_sweep = sj->now + SWEEP_NS;
		if (!port_wanted(sj, (unsigned)port)) {
			sj->n.rows_filtered++;
			continue;
		}
		if ((p = path_of(sj, (unsigned)port, -1)) == NULL) {
			sj->n.rec_unplaced++;
			continue;
		}
		if (!up[port].have || seq > up[port].maxseq)
			up[port].maxseq = seq;
		up[port].have = true;
		up[port].last = t;
		cell.time_ns = t;
		cell.owd_ns = owd;
		cell.rtt_ns = -1;
		cell.retx = -1;
		cell.again = -1;
		record_push(sj, p, d, &ri, &cell);
		if (sj->now >= next_sweep) {
			sweep(sj, up, 0);
			next_sweep = sj->now + SWEEP_NS;
		}
	}
	if (rc == 0)
		sweep(sj, up, 1);
	free(up);
	return sj->too_many_paths ? -1 : rc;
}

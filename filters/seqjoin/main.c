/*
 * seqjoin: joins the copies of each record across the paths of its
 * direction.  Reads pcap2csv (or tshark -T fields) rows, turns each path's
 * TCP stream or UDP datagrams into records, and prints one line per
 * (direction, record sequence number) with each path's time, rtt, owd and
 * retx; or reads udrecv's path@seq@born@time@owd rows and joins those.
 * Memory is bounded by what waits: the window (-W) of capture time, not the
 * capture.
 */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "nstime.h"
#include "seqjoin.h"
#include "util.h"

static const char synopsis[] =
    "[-F FORMAT] [-s LEN] [-L LABELS] [-p PORTS] [-S PORTS] [-W SECONDS]\n"
    "\t[--at client|server] [FILE...]";
static const char options[] =
    "  -F FORMAT    record format: mptk, iperf3, iperf3-64, labudp\n"
    "               (found from each flow's first records)\n"
    "  -s LEN       record length in bytes (400)\n"
    "  -L LABELS    the paths and their names, from port@label lines\n"
    "               (an MPTCP subflow: port.id@label)\n"
    "  -p PORTS     the paths: these server ports (3271,3273-3279) and\n"
    "               MPTCP subflows (3290.0,3290.2)\n"
    "  -S PORTS     server ports, where the guess (SYN, lower port) fails\n"
    "  -W SECONDS   longest a record waits for its copies (60)\n"
    "  --at HOST    where the capture was taken, client or server (beats\n"
    "               what the handshake and TTL suggest)\n";

int
get_time(const struct at_reader *r, int col, int64_t *ns)
{
	const char *s = at_get(r, col);
	int rc = nst_parse_n(s, at_len(r, col), ns);

	if (rc == NUM_SYNTAX) {
		at_warn(r, "%s: '%s' is not a number", at_colname(r,
		    (size_t)col), s);
		return -1;
	}
	/* room for the window after it; later than 2116 is no capture */
	if (rc != 0 || *ns < 0 || *ns > INT64_C(4500000000) * NST_S) {
		at_warn(r, "%s: '%s' is out of range", at_colname(r,
		    (size_t)col), s);
		return -1;
	}
	return 0;
}

int
get_uint(const struct at_reader *r, int col, uint64_t max, int empty_ok,
    uint64_t *v)
{
	int rc = at_get_u64(r, col, v);

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

void
time_backwards(struct seqjoin *sj, const struct at_reader *r, int64_t by)
{
	if (sj->n.rows_backwards++ == 0) {
		sj->n.first_backwards_file = estrdup(at_file(r));
		sj->n.first_backwards_line = at_line(r);
	}
	if (by > sj->n.backwards_max_ns)
		sj->n.backwards_max_ns = by;
}

/* -p's PORT.ID item: an MPTCP subflow path; 1, 0 (not one), -1 (bad). */
static int
parse_subflow(struct seqjoin *sj, const char *s, const char *comma,
    uint8_t *set)
{
	const char *dot = memchr(s, '.', (size_t)(comma - s));
	char a[8], b[8];
	uint64_t port, id;

	if (dot == NULL)
		return 0;
	if (sj == NULL || dot - s >= (long)sizeof(a) ||
	    comma - dot - 1 >= (long)sizeof(b))
		return -1;
	snprintf(a, sizeof(a), "%.*s", (int)(dot - s), s);
	snprintf(b, sizeof(b), "%.*s", (int)(comma - dot - 1), dot + 1);
	if (num_u64(a, 65535, &port) != NUM_OK || port == 0 ||
	    num_u64(b, 255, &id) != NUM_OK)
		return -1;
	set[port / 8] |= (uint8_t)(1u << (port % 8));
	for (size_t i = 0; i < sj->npsubs; i++)
		if (sj->psubs[i].port == port && sj->psubs[i].sub == (int)id)
			return 1;
	sj->psubs = ereallocarray(sj->psubs, sj->npsubs + 1,
	    sizeof(*sj->psubs));
	sj->psubs[sj->npsubs].port = (unsigned)port;
	sj->psubs[sj->npsubs++].sub = (int)id;
	return 1;
}

/*
 * "3271,3273-3279" into a bitmap: the number of ports, or -1.  With sj
 * (-p), "3290.2" names an MPTCP subflow path (sj->psubs), and the ports
 * named plainly are also in sj->plainports.
 */
static long
parse_ports(const char *arg, uint8_t *set, struct seqjoin *sj)
{
	const char *s = arg;
	long n = 0;

	for (;;) {
		const char *comma = strchrnul(s, ','), *dash;
		char a[8], b[8];
		uint64_t lo, hi;
		int sub = parse_subflow(sj, s, comma, set);

		if (sub < 0)
			return -1;
		if (sub > 0) {
			n++;
			if (*comma == '\0')
				return n;
			s = comma + 1;
			continue;
		}
		dash = memchr(s, '-', (size_t)(comma - s));
		if ((dash ? dash : comma) - s >= (long)sizeof(a) ||
		    (dash && comma - dash - 1 >= (long)sizeof(b)))
			return -1;
		snprintf(a, sizeof(a), "%.*s", (int)((dash ? dash : comma) - s),
		    s);
		snprintf(b, sizeof(b), "%.*s", dash ? (int)(comma - dash - 1) :
		    0, dash ? dash + 1 : "");
		if (num_u64(a, 65535, &lo) != NUM_OK || lo == 0)
			return -1;
		hi = lo;
		if (dash && (num_u64(b, 65535, &hi) != NUM_OK || hi < lo))
			return -1;
		for (uint64_t p = lo; p <= hi; p++) {
			if (!(set[p / 8] & (1u << (p % 8))))
				n++;
			set[p / 8] |= (uint8_t)(1u << (p % 8));
			if (sj != NULL)
				sj->plainports[p / 8] |= (uint8_t)(1u << (p % 8));
		}
		if (*comma == '\0')
			return n;
		s = comma + 1;
	}
}

static int
by_subflow(const void *a, const void *b)
{
	const struct psub *x = a, *y = b;

	if (x->port != y->port)
		return (x->port > y->port) - (x->port < y->port);
	return (x->sub > y->sub) - (x->sub < y->sub);
}

static void
parse_options(struct seqjoin *sj, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *labelfile = NULL;
	long nports = 0;
	int ch;

	sj->reclen = REC_DEFAULT_LEN;
	sj->window_ns = 60 * NST_S;
	sj->fmt = -1;
	while ((ch = getopt_long(argc, argv, "F:s:L:p:S:W:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'F':
			if ((sj->fmt = rec_fmt_by_name(optarg)) < 0) {
				warnx("-F: '%s' is not mptk, iperf3, "
				    "iperf3-64 or labudp", optarg);
				tk_usage(synopsis);
			}
			break;
		case 's':
			sj->reclen = opt_u64("-s", optarg, REC_HDR_LEN, 65536,
			    "a record length");
			sj->reclen_given = true;
			break;
		case 'L':
			labelfile = optarg;
			break;
		case 'p':
			if (sj->portset == NULL) {
				sj->portset = ecalloc(65536 / 8, 1);
				sj->plainports = ecalloc(65536 / 8, 1);
			}
			if ((nports = parse_ports(optarg, sj->portset, sj)) < 0) {
				warnx("-p: '%s' is not a list of ports",
				    optarg);
				tk_usage(synopsis);
			}
			break;
		case 'S':
			if (sj->servers == NULL)
				sj->servers = ecalloc(65536 / 8, 1);
			if (parse_ports(optarg, sj->servers, NULL) < 0) {
				warnx("-S: '%s' is not a list of ports",
				    optarg);
				tk_usage(synopsis);
			}
			break;
		case 'W':
			sj->window_ns = opt_seconds("-W", optarg, 1,
			    INT64_C(1000000) * NST_S, "a number of seconds");
			break;
		case 'A':
			if (strcmp(optarg, "client") == 0)
				sj->at_opt = HOST_CLIENT;
			else if (strcmp(optarg, "server") == 0)
				sj->at_opt = HOST_SERVER;
			else {
				warnx("--at: '%s' is not client or server",
				    optarg);
				tk_usage(synopsis);
			}
			break;
		default:
			tk_usage(synopsis);
		}
	}
	if (sj->fmt >= 0 && sj->reclen < rec_hdr_len((enum rec_format)sj->fmt))
		sj->reclen = rec_hdr_len((enum rec_format)sj->fmt);
	sj->grace_ns = sj->window_ns < GRACE_MAX_NS ? sj->window_ns :
	    GRACE_MAX_NS;
	if (labelfile != NULL) {
		if ((sj->labels = labels_read(labelfile)) == NULL)
			exit(EXIT_USAGE);
		sj->named = true;
		for (size_t i = 0; i < labels_count(sj->labels); i++) {
			unsigned port = labels_port(sj->labels, i);

			if (port_wanted(sj, port))
				path_add(sj, port, labels_sub(sj->labels, i),
				    labels_name(sj->labels, i));
		}
	} else if (sj->portset != NULL) {
		if (nports > PATHS_MAX) {
			warnx("-p: %ld ports: at most %d paths", nports,
			    PATHS_MAX);
			tk_usage(synopsis);
		}
		sj->named = true;
		if (sj->npsubs > 1)
			qsort(sj->psubs, sj->npsubs, sizeof(*sj->psubs),
			    by_subflow);
		for (unsigned port = 1, k = 0; port < 65536; port++) {
			if (sj->plainports[port / 8] & (1u << (port % 8)) &&
			    port_wanted(sj, port))
				path_add(sj, port, -1, NULL);
			for (; k < sj->npsubs && sj->psubs[k].port == port; k++)
				if (port_wanted(sj, port))
					path_add(sj, port, sj->psubs[k].sub,
					    NULL);
		}
	}
	if (sj->too_many_paths)
		exit(EXIT_DATA);
}

/* Ticks the readers and outputs the rows that are done. */
static void
sweep(struct seqjoin *sj, int eof)
{
	for (size_t i = 0; i < sj->npaths; i++)
		for (int d = 0; d < 2; d++) {
			sj->paths[i]->live[d] = 0;
			sj->paths[i]->frontier[d] = -1;
		}
	if (sj->tcp != NULL)
		tcp_sweep(sj->tcp, eof);
	if (sj->udp != NULL)
		udp_sweep(sj->udp, eof);
	if (sj->too_many_paths)
		return;		/* the run fails: no more output */
	join_sweep(sj, eof);
}

static int
read_packets(struct seqjoin *sj, struct at_reader *r)
{
	int64_t next_sweep = INT64_MIN, last_t = INT64_MIN;
	int ctime = at_col(r, "frame.time_epoch"), rc;

	if (at_col(r, "udp.srcport") >= 0 && at_col(r, "tcp.srcport") < 0) {
		if ((sj->udp = udp_reader_new(sj, r)) == NULL)
			return -1;
	} else {
		if ((sj->tcp = tcp_reader_new(sj, r)) == NULL)
			return -1;
		if (at_col(r, "udp.srcport") >= 0 &&
		    (sj->udp = udp_reader_new(sj, r)) == NULL)
			return -1;
	}
	while (!sj->too_many_paths && (rc = at_next(r)) == 1) {
		int64_t t;
		int got = 0;

		if (get_time(r, ctime, &t) != 0) {
			rc = -1;
			break;
		}
		if (t < last_t)
			time_backwards(sj, r, last_t - t);
		last_t = t;
		if (t > sj->now)
			sj->now = t;
		if (next_sweep == INT64_MIN)
			next_sweep = sj->now + SWEEP_NS;
		if (sj->tcp != NULL && (got = tcp_row(sj->tcp, r, t)) < 0) {
			rc = -1;
			break;
		}
		if (got == 0 && sj->udp != NULL &&
		    (got = udp_row(sj->udp, r, t)) < 0) {
			rc = -1;
			break;
		}
		if (got == 0)
			sj->n.rows_other++;
		if (sj->now >= next_sweep || sj->work >= SWEEP_BYTES) {
			sweep(sj, 0);
			next_sweep = sj->now + SWEEP_NS;
			sj->work = 0;
		}
	}
	if (rc == 0)
		sweep(sj, 1);
	return sj->too_many_paths ? -1 : rc;
}

static void
report(const struct seqjoin *sj)
{
	const struct reasm_stats *s = &sj->rs;
	const struct {
		uint64_t n;
		const char *what;
	} line[] = {
		{ sj->n.rows_other, "rows without TCP or UDP ignored" },
		{ sj->n.rows_multi, "rows with several TCP or UDP headers "
		    "(ICMP errors) ignored" },
		{ sj->n.rows_trunc, "rows whose TCP header was cut short "
		    "(no sequence number) ignored" },
		{ sj->n.rows_filtered, "rows of ports that are not paths (-p, "
		    "-L) ignored" },
		{ s->bytes_before, "bytes before the first whole record "
		    "(capture started mid-stream)" },
		{ s->bytes_norec, "bytes in TCP streams that hold no records" },
		{ sj->n.udp_norec, "UDP datagrams that hold no records" },
		{ sj->n.udp_connect, "iperf3 UDP connect datagrams (not "
		    "records)" },
		{ s->bytes_after_end, "bytes after an end record" },
		{ s->bytes_beyond, "bytes beyond any TCP window of their "
		    "stream, ignored" },
		{ s->rec_incomplete, "records whose header or last byte was "
		    "not captured" },
		{ sj->n.udp_nohdr, "records whose header the capture cut "
		    "(snap length)" },
		{ s->rec_notdata, "records with a flag that is not data" },
		{ s->rec_implausible, "records born more than a day from the "
		    "capture time, ignored" },
		{ s->rec_outofseq, "records whose seq did not grow, ignored" },
		{ s->rec_early, "records output early (a jump of millions of "
		    "records in their stream)" },
		{ s->retx_late, "retransmissions of records already output "
		    "(retx not set)" },
		{ sj->n.rec_unplaced, "records of paths without a column "
		    "(started after output began, or not in -p/-L), ignored" },
	};

	for (size_t i = 0; i < sizeof(line) / sizeof(line[0]); i++)
		if (line[i].n > 0)
			warnx("%" PRIu64 " %s", line[i].n, line[i].what);
	for (size_t i = 0; i < sj->npaths; i++) {
		const struct path *p = sj->paths[i];

		if (p->dup > 0 || p->reorder > 0)
			warnx("%s: %" PRIu64 " UDP records seen twice (the "
			    "second copy ignored), %" PRIu64 " that arrived "
			    "after a later one (reordered)", p->name, p->dup,
			    p->reorder);
	}
	for (int d = 0; d < 2; d++) {
		const struct join_stats *j;

		if (sj->join[d] == NULL)
			continue;
		j = join_stats(sj->join[d]);
		if (j->dup > 0)
			warnx("%s: %" PRIu64 " records seen twice on one path "
			    "(second copy ignored)", dir_name((enum dir)d),
			    j->dup);
		if (j->late > 0)
			warnx("%s: %" PRIu64 " records later than the window, "
			    "output as lines of their own", dir_name((enum dir)d),
			    j->late);
		if (j->apart > 0)
			warnx("%s: %" PRIu64 " records whose born differs by "
			    "more than 1 s from their seq's copies: not copies, "
			    "lines of their own", dir_name((enum dir)d),
			    j->apart);
		if (j->forced > 0)
			warnx("%s: %" PRIu64 " rows output early: too many "
			    "sequence numbers open at once", dir_name((enum dir)d),
			    j->forced);
	}
	if (sj->n.rows_backwards > 0)
		warnx("capture time went backwards %" PRIu64 " times (first "
		    "at %s:%zu, by up to %.6f s): rows out of capture order "
		    "change time and rtt; sort them by frame.time_epoch",
		    sj->n.rows_backwards, sj->n.first_backwards_file,
		    sj->n.first_backwards_line,
		    (double)sj->n.backwards_max_ns / 1e9);
	mp_report(sj->mp);
	vantage_report(sj);
}

/* No record at all: say what the likely cause is. */
static void
no_records(const struct seqjoin *sj)
{
	const struct reasm_stats *s = &sj->rs;

	if (mp_no_records(sj->mp))
		return;
	if (sj->n.rows_filtered > 0 && sj->tcp == NULL && sj->udp == NULL)
		warnx("no records: every row was of a port -p or -L leaves "
		    "out");
	else if (s->rec_implausible > 0)
		warnx("no records: their send times are more than a day from "
		    "the capture's clock (a sender's clock, or not records)");
	else if (sj->n.udp_nohdr > 0)
		warnx("no records: the capture's snap length cut their "
		    "headers (capture with a larger -s, e.g. tcpdump -s 0)");
	else if (s->streams_norec > 0 || sj->n.udp_norec > 0)
		warnx("no records: no stream decodes as records of %zu bytes "
		    "(%s): another record length (-s) or format (-F)?",
		    sj->reclen, sj->fmt >= 0 ?
		    rec_fmt_name((enum rec_format)sj->fmt) :
		    "mptk, iperf3 or labudp");
	else if (sj->n.rows_filtered > 0)
		warnx("no records: every flow was of a port -p or -L leaves "
		    "out");
	else if (sj->n.rec_unplaced > 0 && sj->mp != NULL)
		warnx("no records: none of a path -p or -L names (an MPTCP "
		    "subflow is PORT.ID, e.g. 3290.2)");
	else
		warnx("no records: the input holds no TCP or UDP data");
}

static void
seqjoin_free(struct seqjoin *sj)
{
	tcp_reader_free(sj->tcp);
	udp_reader_free(sj->udp);
	for (size_t i = 0; i < sj->npaths; i++)
		free(sj->paths[i]);
	free(sj->paths);
	join_free(sj->join[0]);
	join_free(sj->join[1]);
	free(sj->portset);
	free(sj->plainports);
	free(sj->psubs);
	free(sj->servers);
	free(sj->n.first_backwards_file);
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
	sj->first_ns[0] = sj->first_ns[1] = -1;
	parse_options(sj, argc, argv);
	at_writer_init(&sj->w, stdout);
	if ((r = at_reader_files(argv + optind, (size_t)(argc - optind))) ==
	    NULL) {
		seqjoin_free(sj);
		return EXIT_DATA;
	}
	sj->udrecv = at_col(r, "tcp.seq_raw") < 0 &&
	    at_col(r, "udp.srcport") < 0 && at_col(r, "path") >= 0;
	if (sj->named)
		write_header(sj);	/* the paths are known: at once */
	rc = sj->udrecv ? read_udrecv(sj, r) : read_packets(sj, r);
	at_reader_free(r);
	if (rc == 0) {
		/* no answer at all is an error, and not even a header */
		if (sj->records > 0 || sj->header_done)
			out_finish(sj);
		report(sj);
		if (sj->records == 0) {
			no_records(sj);
			rc = -1;
		}
	}
	seqjoin_free(sj);
	return rc == 0 ? 0 : EXIT_DATA;
}

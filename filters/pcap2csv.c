/*
 * pcap2csv: pcap and pcapng captures, plain or gzip-compressed, to the '@'
 * stream, with the field names and values of
 * `tshark -T fields -E header=y -E separator=@`.
 */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atcsv.h"
#include "capfile.h"
#include "common.h"
#include "dissect.h"
#include "fields.h"
#include "tcp_analysis.h"
#include "util.h"

static const char synopsis[] =
    "[-Hq] [--strict] [-e field]... [-f bpf] [-r file]... [file ...]";
static const char options[] =
    "  -e FIELD     print FIELD (repeatable; default: the lab's list)\n"
    "  -f BPF       only the frames this capture filter matches\n"
    "  -H           no header line\n"
    "  -q           no progress line on a terminal\n"
    "  -r FILE      read FILE (as an operand; - is standard input)\n"
    "  --strict     a capture cut short mid-frame is an error\n";

/*
 * The default fields, the toolkit's one copy of the list (the tests read it
 * from the header line; pcap2csv(1) documents it): the lab's tshark list,
 * then what seqjoin needs: the TCP stream and ACKs, the TTL or hop limit
 * (which tells the capture's vantage: 64, 128 or 255 is a packet that left
 * the capturing host), the UDP datagrams, and of MPTCP subflows their
 * connection, data sequence numbers, DATA_ACKs and address ids.
 */
static const char *const default_fields[] = {
	"frame.number", "frame.time", "ip.src", "ip.dst", "_ws.col.Protocol",
	"frame.len", "tcp.analysis.acks_frame", "tcp.seq_raw", "tcp.len",
	"tcp.analysis.ack_rtt", "tcp.srcport", "tcp.dstport",
	"tcp.analysis.bytes_in_flight", "tcp.analysis.retransmission",
	"tcp.analysis.fast_retransmission", "tcp.analysis.out_of_order",
	"tcp.payload",
	"frame.time_epoch", "tcp.stream", "tcp.ack_raw", "tcp.flags",
	"ip.ttl", "ipv6.hlim",
	"udp.srcport", "udp.dstport", "udp.length", "udp.payload",
	"mptcp.stream", "mptcp.dsn", "mptcp.ack", "tcp.options.mptcp.subtype",
	"tcp.options.mptcp.addrid",
	NULL
};

/*
 * Rows are written 128 kB at a time into a pipe of 512 kB: the writer holds
 * the pipe's lock while it copies, and the reader spins on it meanwhile, so
 * a 1 MB write in a 1 MB pipe cost the whole answer (pcap2csv | seqjoin |
 * rttpairs) some 6% of its time on two cores.
 */
#define OUT_BUFSIZE (1 << 17)
#define PIPE_BUFSIZE (1 << 19)
#define PROGRESS_EVERY 65536	/* frames between looks at the clock */
#define MAX_LINKTYPES 16	/* distinct link types in one capture */

/* The -f program compiled for one link type. */
struct filter {
	int dlt;
	struct bpf_program prog;
};

struct run {
	int *fields;
	size_t nfields;
	bool analyse;		/* some field needs the TCP analysis */
	const char *bpf;
	struct filter filters[MAX_LINKTYPES];
	size_t nfilters;
	bool quiet, strict, progress;
	struct at_writer out;
	struct field_buf fbuf;
	struct tcp_table *tcp;
	struct mptcp_table *mptcp;	/* with tcp */
	uint64_t frames;	/* frame.number of the last frame */
	bool have_first;
	int64_t first_sec;
	uint32_t first_nsec;
	time_t last_progress;
	int status;
};

static void
write_row(struct run *r, const struct frame_info *fi)
{
	field_put(&r->out, &r->fbuf, r->fields, r->nfields, fi);
	if (at_end(&r->out) != 0)
		err(EXIT_DATA, "stdout");
}

static void
show_progress(struct run *r, const char *name, bool done)
{
	time_t now;

	if (!r->progress)
		return;
	if (done) {
		fprintf(stderr, "\r%*s\r", 60, "");
		return;
	}
	now = time(NULL);
	if (now == r->last_progress)
		return;
	r->last_progress = now;
	fprintf(stderr, "\rpcap2csv: %.30s: %llu frames", name,
	    (unsigned long long)r->frames);
}

/*
 * The -f program for link type dlt, compiled on first use (a capture may
 * mix link types); exits with EXIT_USAGE when it does not compile.
 */
static const struct bpf_program *
filter_for(struct run *r, int dlt)
{
	struct filter *f;
	pcap_t *dead;

	for (size_t i = 0; i < r->nfilters; i++)
		if (r->filters[i].dlt == dlt)
			return &r->filters[i].prog;
	if (r->nfilters == MAX_LINKTYPES)
		errx(EXIT_DATA, "-f: more than %d link types", MAX_LINKTYPES);
	f = &r->filters[r->nfilters];
	if ((dead = pcap_open_dead(dlt, 262144)) == NULL)
		errx(EXIT_DATA, "out of memory");
	if (pcap_compile(dead, &f->prog, r->bpf, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		const char *lt = pcap_datalink_val_to_name(dlt);

		if (r->nfilters == 0)
			warnx("-f: %s", pcap_geterr(dead));
		else
			warnx("-f: link type %s: %s", lt ? lt : "unknown",
			    pcap_geterr(dead));
		exit(EXIT_USAGE);
	}
	pcap_close(dead);
	f->dlt = dlt;
	r->nfilters++;
	return &f->prog;
}

/* A link type seen first in this file: says if it is not decoded. */
static void
new_linktype(int dlt, const char *name, int *seen, size_t *nseen)
{
	const char *lt;

	for (size_t i = 0; i < *nseen; i++)
		if (seen[i] == dlt)
			return;
	if (*nseen < MAX_LINKTYPES)
		seen[(*nseen)++] = dlt;
	if (dissect_link_supported(dlt))
		return;
	lt = pcap_datalink_val_to_name(dlt);
	warnx("%s: link type %s is not decoded; only frame.* fields are "
	    "filled", name, lt ? lt : "unknown");
}

/* One capture, opened (cap_open) and checked before the header. */
static void
read_capture(struct run *r, struct capfile *c, const char *name)
{
	int seen[MAX_LINKTYPES], known[MAX_LINKTYPES], dlt = -1;
	size_t nseen = 0, nknown;
	const struct bpf_program *prog = NULL;
	struct cap_packet pk;
	struct dissection d;
	struct tcp_verdict verdict;
	struct mptcp_verdict mverdict;
	int rc;

	/* the interfaces known at the start, also of a file with no frame */
	nknown = cap_linktypes(c, known, MAX_LINKTYPES);
	for (size_t i = 0; i < nknown; i++)
		new_linktype(known[i], name, seen, &nseen);
	while ((rc = cap_next(c, &pk)) == 1) {
		struct frame_info fi;
		bool wanted;

		if (pk.dlt != dlt) {
			dlt = pk.dlt;
			new_linktype(dlt, name, seen, &nseen);
			if (r->bpf != NULL)
				prog = filter_for(r, dlt);
		}
		r->frames++;
		fi.number = r->frames;
		fi.sec = pk.sec;
		fi.nsec = pk.nsec;
		if (!r->have_first) {
			r->have_first = true;
			r->first_sec = fi.sec;
			r->first_nsec = fi.nsec;
		}
		fi.rel_ns = (fi.sec - r->first_sec) * 1000000000LL +
		    ((int64_t)fi.nsec - r->first_nsec);
		fi.len = pk.len;
		fi.caplen = pk.caplen;
		fi.d = &d;
		fi.v = NULL;
		fi.mv = NULL;
		wanted = true;
		if (prog != NULL) {
			struct pcap_pkthdr h = { .caplen = pk.caplen,
			    .len = pk.len };

			wanted = pcap_offline_filter(prog, &h, pk.data) != 0;
		}
		dissect_frame(dlt, pk.data, pk.caplen, pk.len, &d);

		fi.stream = -1;
		if (r->analyse)
			field_analyse(r->tcp, r->mptcp, &d, &fi, &verdict,
			    &mverdict);
		if (wanted)
			write_row(r, &fi);
		if (r->frames % PROGRESS_EVERY == 0)
			show_progress(r, name, false);
	}
	if (rc == -1 && cap_cut_short(c)) {
		warnx("%s: cut short in the middle of a frame after frame %llu "
		    "(%s)", name, (unsigned long long)r->frames, cap_error(c));
		if (r->strict)
			r->status = EXIT_DATA;
	} else if (rc == -1) {
		warnx("%s: %s", name, cap_error(c));
		r->status = EXIT_DATA;
	}
}

/*
 * Opens every input and compiles -f for its link types before anything is
 * written, so that a run that cannot read one of them prints nothing.  An
 * input that cannot be read again from its start (standard input, a pipe)
 * stays open in kept[i]; the others are opened again when their turn comes.
 */
static bool
check_inputs(struct run *r, char **files, size_t nfiles,
    struct capfile **kept)
{
	char errbuf[CAP_ERRBUF];
	bool ok = true, stdin_seen = false;

	for (size_t i = 0; i < nfiles; i++) {
		struct capfile *c;
		int dlts[MAX_LINKTYPES];
		size_t n;

		if (strcmp(files[i], "-") == 0) {
			if (stdin_seen) {
				warnx("standard input is named twice");
				tk_usage(synopsis);
			}
			stdin_seen = true;
		}
		if ((c = cap_open(files[i], errbuf)) == NULL) {
			warnx("%s", errbuf);
			ok = false;
			continue;
		}
		n = cap_linktypes(c, dlts, MAX_LINKTYPES);
		for (size_t k = 0; k < n && r->bpf != NULL; k++)
			(void)filter_for(r, dlts[k]);
		if (cap_rereadable(c))
			cap_close(c);
		else
			kept[i] = c;
	}
	return ok;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct run r;
	struct capfile **kept;
	char **files;
	size_t nfiles = 0;
	bool header = true;
	int ch;

	tk_std_options(argc, argv, synopsis, options);
	memset(&r, 0, sizeof(r));
	r.fields = ecalloc((size_t)argc + 32, sizeof(*r.fields));
	files = ecalloc((size_t)argc + 1, sizeof(*files));
	kept = ecalloc((size_t)argc + 1, sizeof(*kept));

	while ((ch = getopt_long(argc, argv, "e:f:Hqr:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e':
			if ((r.fields[r.nfields] = field_lookup(optarg)) < 0) {
				warnx("unknown field '%s'; supported fields:",
				    optarg);
				field_list(stderr, "    ");
				tk_usage(synopsis);
			}
			r.nfields++;
			break;
		case 'f':
			r.bpf = optarg;
			break;
		case 'H':
			header = false;
			break;
		case 'q':
			r.quiet = true;
			break;
		case 'r':
			files[nfiles++] = optarg;
			break;
		case 'S':
			r.strict = true;
			break;
		default:
			tk_usage(synopsis);
		}
	}
	for (int i = optind; i < argc; i++)
		files[nfiles++] = argv[i];
	if (nfiles == 0) {
		if (isatty(STDIN_FILENO))
			tk_usage(synopsis);
		files[nfiles++] = "-";
	}
	if (r.nfields == 0)
		for (size_t i = 0; default_fields[i] != NULL; i++)
			r.fields[r.nfields++] = field_lookup(default_fields[i]);
	r.analyse = field_needs_analysis(r.fields, r.nfields);
	r.progress = !r.quiet && isatty(STDERR_FILENO);
	if (!check_inputs(&r, files, nfiles, kept))
		exit(EXIT_DATA);
	if (r.analyse && (r.tcp = tcp_table_new()) == NULL)
		err(EXIT_DATA, NULL);
	/* the TCP analysis asks the MPTCP one about duplicate ACKs */
	if (r.analyse) {
		r.mptcp = mptcp_table_new();
		tcp_table_set_mptcp(r.tcp, mptcp_stream_ops, r.mptcp);
	}

	/*
	 * rows are most of the work: gather them, write them in big blocks;
	 * a pipe bigger than a block (where the system allows) takes several
	 * before the reader must have its turn
	 */
	(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, PIPE_BUFSIZE);
	at_writer_init(&r.out, stdout);
	at_writer_batch(&r.out, OUT_BUFSIZE);
	if (header) {
		for (size_t i = 0; i < r.nfields; i++)
			at_put(&r.out, field_name(r.fields[i]));
		if (at_end(&r.out) != 0)
			err(EXIT_DATA, "stdout");
	}
	for (size_t i = 0; i < nfiles; i++) {
		char errbuf[CAP_ERRBUF];
		struct capfile *c;

		c = kept[i] != NULL ? kept[i] : cap_open(files[i], errbuf);
		if (c == NULL) {	/* gone since it was checked */
			warnx("%s", errbuf);
			r.status = EXIT_DATA;
			continue;
		}
		read_capture(&r, c, strcmp(files[i], "-") == 0 ? "stdin" :
		    files[i]);
		cap_close(c);
	}
	show_progress(&r, "", true);
	if (at_flush(&r.out) != 0)
		err(EXIT_DATA, "stdout");

	if (r.tcp != NULL)
		tcp_table_free(r.tcp);
	mptcp_table_free(r.mptcp);
	for (size_t i = 0; i < r.nfilters; i++)
		pcap_freecode(&r.filters[i].prog);
	at_writer_free(&r.out);
	free(r.fields);
	free(files);
	free(kept);
	return r.status;
}

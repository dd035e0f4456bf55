/*
 * pcap2csv: pcap and pcapng captures to the '@' stream, with the field names
 * and values of `tshark -T fields -E header=y -E separator=@`.
 */
#include <err.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atcsv.h"
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
 * the capturing host), the UDP datagrams.
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
	NULL
};

#define OUT_BUFSIZE (1 << 20)
#define PROGRESS_EVERY 65536	/* frames between looks at the clock */

struct run {
	int *fields;
	size_t nfields;
	bool analyse;		/* some field needs the TCP analysis */
	const char *bpf;
	bool quiet, strict, progress;
	struct at_writer out;
	struct field_buf fbuf;
	struct tcp_table *tcp;
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

/* One capture file; "-" is standard input. */
static void
read_capture(struct run *r, const char *path)
{
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *pkt;
	struct dissection d;
	struct tcp_verdict verdict;
	pcap_t *p;
	int dlt, rc;

	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		size_t n = strlen(path);

		/* libpcap names the file itself when fopen fails */
		if (strncmp(errbuf, path, n) == 0 && errbuf[n] == ':')
			warnx("%s", errbuf);
		else
			warnx("%s: %s", name, errbuf);
		r->status = EXIT_DATA;
		return;
	}
	dlt = pcap_datalink(p);
	if (!dissect_link_supported(dlt))
		warnx("%s: link type %s is not decoded; only frame.* fields "
		    "are filled", name, pcap_datalink_val_to_name(dlt) ?
		    pcap_datalink_val_to_name(dlt) : "unknown");
	if (r->bpf != NULL) {
		if (pcap_compile(p, &prog, r->bpf, 1,
		    PCAP_NETMASK_UNKNOWN) != 0) {
			warnx("-f: %s", pcap_geterr(p));
			pcap_close(p);
			exit(EXIT_USAGE);
		}
	}

	while ((rc = pcap_next_ex(p, &h, &pkt)) == 1) {
		struct frame_info fi;
		bool wanted;

		r->frames++;
		fi.number = r->frames;
		fi.sec = h->ts.tv_sec;
		if (fi.sec < 0)		/* pcap's seconds are unsigned 32 bits */
			fi.sec += (int64_t)1 << 32;
		fi.nsec = (uint32_t)h->ts.tv_usec;	/* nanoseconds here */
		if (!r->have_first) {
			r->have_first = true;
			r->first_sec = fi.sec;
			r->first_nsec = fi.nsec;
		}
		fi.rel_ns = (fi.sec - r->first_sec) * 1000000000LL +
		    ((int64_t)fi.nsec - r->first_nsec);
		fi.len = h->len;
		fi.caplen = h->caplen;
		fi.d = &d;
		fi.v = NULL;
		wanted = r->bpf == NULL ||
		    pcap_offline_filter(&prog, h, pkt) != 0;
		dissect_frame(dlt, pkt, h->caplen, h->len, &d);

		fi.stream = -1;
		if (r->analyse)
			field_analyse(r->tcp, &d, &fi, &verdict);
		if (wanted)
			write_row(r, &fi);
		if (r->frames % PROGRESS_EVERY == 0)
			show_progress(r, name, false);
	}
	if (rc == PCAP_ERROR) {
		const char *msg = pcap_geterr(p);

		if (strstr(msg, "truncated") != NULL) {
			warnx("%s: cut short in the middle of a frame after "
			    "frame %llu (%s)", name,
			    (unsigned long long)r->frames, msg);
			if (r->strict)
				r->status = EXIT_DATA;
		} else {
			warnx("%s: %s", name, msg);
			r->status = EXIT_DATA;
		}
	}
	if (r->bpf != NULL)
		pcap_freecode(&prog);
	pcap_close(p);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct run r;
	char **files;
	size_t nfiles = 0;
	bool header = true;
	int ch;

	tk_std_options(argc, argv, synopsis, options);
	memset(&r, 0, sizeof(r));
	r.fields = ecalloc((size_t)argc + 32, sizeof(*r.fields));
	files = ecalloc((size_t)argc + 1, sizeof(*files));

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
	if (r.analyse && (r.tcp = tcp_table_new()) == NULL)
		err(EXIT_DATA, NULL);

	/* rows are most of the work: gather them, write them in big blocks */
	at_writer_init(&r.out, stdout);
	at_writer_batch(&r.out, OUT_BUFSIZE);
	if (header) {
		for (size_t i = 0; i < r.nfields; i++)
			at_put(&r.out, field_name(r.fields[i]));
		if (at_end(&r.out) != 0)
			err(EXIT_DATA, "stdout");
	}
	for (size_t i = 0; i < nfiles; i++)
		read_capture(&r, files[i]);
	show_progress(&r, "", true);
	if (at_flush(&r.out) != 0)
		err(EXIT_DATA, "stdout");

	if (r.tcp != NULL)
		tcp_table_free(r.tcp);
	at_writer_free(&r.out);
	free(r.fields);
	free(files);
	return r.status;
}

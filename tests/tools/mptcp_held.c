/*
 * mptcp_held: test driver for lib/mptcp_analysis's bounded memory.  Reads
 * a capture (lib/capfile), dissects every frame and runs the TCP and MPTCP
 * analyses as pcap2csv does, and prints at the end
 *   connections@held@peak
 * (mptcp_table_usage(): MPTCP connections, DSN ranges plus mappings held at
 * the end, and the most held after any frame).
 *
 *   mptcp_held CAPTURE
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>

#include "capfile.h"
#include "dissect.h"
#include "fields.h"
#include "mptcp_analysis.h"
#include "tcp_analysis.h"

int
main(int argc, char **argv)
{
	char errbuf[CAP_ERRBUF];
	struct capfile *c;
	struct cap_packet pk;
	struct dissection d;
	struct tcp_verdict v;
	struct mptcp_verdict mv;
	struct tcp_table *tcp;
	struct mptcp_table *m;
	uint64_t number = 0, conns, held, peak = 0;
	int rc;

	if (argc != 2)
		errx(2, "usage: mptcp_held capture");
	if ((c = cap_open(argv[1], errbuf)) == NULL)
		errx(1, "%s", errbuf);
	tcp = tcp_table_new();
	m = mptcp_table_new();
	tcp_table_set_mptcp(tcp, mptcp_stream_ops, m);
	while ((rc = cap_next(c, &pk)) == 1) {
		struct frame_info fi = { .number = ++number, .sec = pk.sec,
		    .nsec = pk.nsec, .len = pk.len, .caplen = pk.caplen,
		    .d = &d, .stream = -1 };

		dissect_frame(pk.dlt, pk.data, pk.caplen, pk.len, &d);
		field_analyse(tcp, m, &d, &fi, &v, &mv);
		mptcp_table_usage(m, &conns, &held);
		if (held > peak)
			peak = held;
	}
	if (rc == -1)
		errx(1, "%s: %s", argv[1], cap_error(c));
	mptcp_table_usage(m, &conns, &held);
	printf("%" PRIu64 "@%" PRIu64 "@%" PRIu64 "\n", conns, held, peak);
	cap_close(c);
	tcp_table_free(tcp);
	mptcp_table_free(m);
	return 0;
}

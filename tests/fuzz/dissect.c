/*
 * Fuzz target: the frame dissector behind pcap2csv (lib/dissect), the TCP
 * analysis (lib/tcp_analysis) and the field formatting (lib/fields) of every
 * field pcap2csv knows, into a row, as pcap2csv's read_capture() does.
 *
 * Input: byte 0 picks the link type; then frames, each
 *   u16 caplen (big-endian, cut to what is left), u8 wire length (caplen +
 *   7 x byte, or caplen / 2 for 255),
 *   i8 time step (x 997 us, negative: back), caplen bytes.
 * All frames of one input share one TCP table, so analysis spans frames.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/dissect -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-dissect tests/fuzz/corpus/dissect
 * make check replays tests/fuzz/corpus/dissect (tests/13-fuzz-replay.t).
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atcsv.h"
#include "dissect.h"
#include "fields.h"
#include "mptcp_analysis.h"
#include "tcp_analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int link_types[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, 12, 14, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP, DLT_PPP	/* the last: not decoded */
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct tcp_table *tcp;
	struct at_writer out;
	struct field_buf fbuf;
	struct dissection d;
	struct tcp_verdict verdict;
	struct mptcp_verdict mverdict;
	struct mptcp_table *mptcp;
	const int64_t start = INT64_C(1700000000) * 1000000000;
	int64_t ns = start;
	uint64_t number = 0;
	int ids[64], nfields, dlt;
	size_t pos = 1;

	if (size < 1)
		return 0;
	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	for (nfields = 0; nfields < field_count() && nfields < 64; nfields++)
		ids[nfields] = nfields;
	dlt = link_types[data[0] % (sizeof(link_types) /
	    sizeof(link_types[0]))];
	if ((tcp = tcp_table_new()) == NULL)
		abort();
	mptcp = mptcp_table_new();
	tcp_table_set_mptcp(tcp, mptcp_stream_ops, mptcp);
	memset(&fbuf, 0, sizeof(fbuf));
	at_writer_init(&out, sink);
	while (size - pos >= 4) {
		struct frame_info fi;
		uint32_t caplen = (uint32_t)data[pos] << 8 | data[pos + 1];
		uint32_t wirelen;
		uint8_t *frame;

		if (caplen > size - pos - 4)
			caplen = (uint32_t)(size - pos - 4);
		/* 255: a record whose wire length is below its caplen, which
		 * libpcap passes on from a damaged file */
		wirelen = data[pos + 2] == 255 ? caplen / 2 :
		    caplen + data[pos + 2] * 7u;
		/* signed: timestamps in a capture can go back */
		ns += (int64_t)(int8_t)data[pos + 3] * 997000;
		pos += 4;
		/* a copy of exactly caplen bytes, so ASan sees overreads */
		if ((frame = malloc(caplen ? caplen : 1)) == NULL)
			abort();
		memcpy(frame, data + pos, caplen);
		pos += caplen;

		memset(&fi, 0, sizeof(fi));
		fi.number = ++number;
		fi.sec = ns / 1000000000;
		fi.nsec = (uint32_t)(ns % 1000000000);
		fi.rel_ns = ns - start;
		fi.len = wirelen;
		fi.caplen = caplen;
		fi.d = &d;
		fi.v = NULL;
		fi.stream = -1;
		dissect_frame(dlt, frame, caplen, wirelen, &d);
		field_analyse(tcp, mptcp, &d, &fi, &verdict, &mverdict);
		field_put(&out, &fbuf, ids, (size_t)nfields, &fi);
		if (at_end(&out) != 0)
			abort();
		free(frame);
	}
	at_flush(&out);
	at_writer_free(&out);
	tcp_table_free(tcp);
	mptcp_table_free(mptcp);
	return 0;
}

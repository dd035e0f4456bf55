/*
 * Fuzz target: the MPTCP option parsing of lib/dissect (TCP option kind
 * 30) and lib/mptcp_analysis (keys, tokens, joins, mappings, DSN ranges),
 * over the TCP analysis, with every MPTCP field formatted into a row as
 * pcap2csv does.  The frames are built here (Ethernet, IPv4, TCP) so that
 * the fuzzer's bytes go to the options, the sequence numbers and the
 * flags, not to headers the dissect target already covers.
 *
 * Input: records of
 *   u8 conversation (bits 0-1: one of 4 address pairs; bit 2: the reverse
 *      direction; bits 3-7: N, the frame captured only up to its first
 *      34 + 2 x N bytes, 0: whole),
 *   u8 TCP flags, be16 seq step, be16 ack step (signed, from the
 *   direction's next seq and the other's), u8 payload length,
 *   u8 options length (cut to 40), the option bytes.
 * All records of one input share one TCP and one MPTCP table.
 *
 * Build and run (clang with libFuzzer), e.g. for 600 seconds:
 *   make fuzz
 *   obj/fuzz/mptcp -max_total_time=600 -close_fd_mask=3 \
 *       obj/fuzz/corpus-mptcp tests/fuzz/corpus/mptcp
 * make check replays tests/fuzz/corpus/mptcp (tests/13-fuzz-replay.t).
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

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct tcp_table *tcp;
	struct mptcp_table *mptcp;
	struct at_writer out;
	struct field_buf fbuf;
	struct dissection d;
	struct tcp_verdict verdict;
	struct mptcp_verdict mverdict;
	static uint8_t f[14 + 20 + 60 + 255];
	uint32_t next[4][2];
	uint64_t number = 0;
	int ids[128], nfields = 0;
	size_t pos = 0;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	for (int i = 0; i < field_count() && nfields < 128; i++) {
		const char *n = field_name(i);

		if (strncmp(n, "mptcp.", 6) == 0 || strncmp(n, "tcp.", 4) == 0 ||
		    strcmp(n, "_ws.col.Protocol") == 0)
			ids[nfields++] = i;
	}
	for (int c = 0; c < 4; c++) {
		next[c][0] = 1000u + 7919u * (uint32_t)c;
		next[c][1] = 0xfffffe00u + 104729u * (uint32_t)c;
	}
	tcp = tcp_table_new();
	mptcp = mptcp_table_new();
	tcp_table_set_mptcp(tcp, mptcp_stream_ops, mptcp);
	memset(&fbuf, 0, sizeof(fbuf));
	at_writer_init(&out, sink);
	while (size - pos >= 8) {
		const uint8_t *r = data + pos;
		int conv = r[0] & 3, dir = (r[0] >> 2) & 1;
		uint32_t cut = r[0] >> 3 ? 34 + (uint32_t)(r[0] >> 3) * 2 : 0;
		uint32_t optlen = r[7] > 40 ? 40 : r[7], hlen, plen, caplen;
		uint8_t *frame;
		struct frame_info fi;

		if (optlen > size - pos - 8)
			optlen = (uint32_t)(size - pos - 8);
		plen = r[6];
		hlen = 20 + ((optlen + 3) & ~3u);
		caplen = 14 + 20 + hlen + plen;
		memset(f, 0, caplen);
		f[12] = 0x08;				/* IPv4 */
		f[14] = 0x45;
		put16(f + 16, 20 + hlen + plen);
		f[22] = 64;
		f[23] = 6;
		f[26] = 198;
		f[27] = 18;
		f[28] = (uint8_t)conv;
		f[29] = (uint8_t)(1 + dir);
		f[30] = 198;
		f[31] = 18;
		f[32] = (uint8_t)conv;
		f[33] = (uint8_t)(2 - dir);
		put16(f + 34, dir ? 3290 : 40000u + (uint32_t)conv);
		put16(f + 36, dir ? 40000u + (uint32_t)conv : 3290);
		next[conv][dir] += (uint32_t)(int16_t)(r[2] << 8 | r[3]);
		put32(f + 38, next[conv][dir]);
		put32(f + 42, next[conv][!dir] +
		    (uint32_t)(int16_t)(r[4] << 8 | r[5]));
		f[46] = (uint8_t)((hlen / 4) << 4);
		f[47] = r[1];
		put16(f + 48, 65535);
		memcpy(f + 54, r + 8, optlen);
		for (uint32_t i = optlen; i < hlen - 20; i++)
			f[54 + i] = 1;			/* NOP */
		memset(f + 34 + hlen, 0x5a, plen);
		next[conv][dir] += plen + ((r[1] & 3) != 0);
		pos += 8 + optlen;

		memset(&fi, 0, sizeof(fi));
		fi.number = ++number;
		fi.sec = 1700000000 + (int64_t)number;
		fi.len = caplen;
		fi.caplen = cut > 0 && cut < caplen ? cut : caplen;
		fi.d = &d;
		fi.stream = -1;
		/* a copy of exactly the captured bytes, so ASan sees overreads */
		if ((frame = malloc(fi.caplen)) == NULL)
			abort();
		memcpy(frame, f, fi.caplen);
		dissect_frame(DLT_EN10MB, frame, fi.caplen, fi.len, &d);
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

/*
 * Fuzz target: the record formats lib/record (mptk, iperf3, iperf3-64,
 * labudp) as seqjoin's UDP reader uses them (filters/seqjoin/udp.c): the
 * header decoded in every format from a buffer exactly as long as that
 * format's header (so ASan sees a read past it), then the two tests a
 * reader makes of the stamp, plausible against the capture time and
 * monotonic; plus mptk's own rec_decode/rec_encode and the format names.
 * What record.h promises is checked (abort() otherwise): a kind of the
 * three, born_digits of the format, mptk's header written back the same.
 *
 * Input: bytes 0-7 the capture time in ns (big-endian, any int64; pcap2csv
 * prints times of any sign), then the record's bytes (the datagram's
 * payload); fewer than 8 bytes: a time of 1700000000 s.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/record -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-record tests/fuzz/corpus/record
 * make check replays tests/fuzz/corpus/record (tests/13-fuzz-replay.t).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t digits_of[REC_FMT_COUNT] = {
	[REC_FMT_MPTK] = 0,	/* or 3: flag 2 */
	[REC_FMT_IPERF3] = 3,
	[REC_FMT_IPERF3_64] = 3,
	[REC_FMT_LABUDP] = 5,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t now = (int64_t)1700000000 * 1000000000;
	const uint8_t *p = data;
	size_t n = size;

	if (size >= 8) {
		uint64_t u = 0;

		for (int i = 0; i < 8; i++)
			u = u << 8 | data[i];
		now = (int64_t)u;
		p += 8;
		n -= 8;
	}
	for (int f = 0; f < REC_FMT_COUNT; f++) {
		size_t hl = rec_hdr_len((enum rec_format)f);
		const char *name = rec_fmt_name((enum rec_format)f);
		struct rec_info ri;
		uint8_t *exact;

		if (hl > REC_HDR_MAX || rec_fmt_by_name(name) != f)
			abort();
		if (n < hl)
			continue;	/* a reader counts it as cut */
		if ((exact = malloc(hl)) == NULL)
			abort();
		memcpy(exact, p, hl);
		memset(&ri, 0xa5, sizeof(ri));
		rec_read((enum rec_format)f, exact, &ri);
		if (ri.kind != REC_KIND_DATA && ri.kind != REC_KIND_END &&
		    ri.kind != REC_KIND_OTHER)
			abort();
		if (ri.born_digits != digits_of[f] &&
		    !(f == REC_FMT_MPTK && ri.born_digits == 3))
			abort();
		(void)rec_born_plausible(&ri, now);
		(void)rec_born_monotonic(&ri);
		if (f == REC_FMT_MPTK) {
			struct rec r;
			uint8_t back[REC_HDR_LEN];

			rec_decode(exact, &r);
			rec_encode(back, &r);
			if (memcmp(back, exact, REC_HDR_LEN) != 0 ||
			    rec_is_data(&r) != (ri.kind == REC_KIND_DATA))
				abort();
			if (rec_is_data(&r))
				(void)rec_born_ms(&r);
		}
		free(exact);
	}
	if (rec_fmt_by_name("") != -1 || rec_fmt_by_name("iperf") != -1)
		abort();
	return 0;
}

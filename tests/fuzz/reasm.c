/*
 * Fuzz target: the record reassembly lib/reasm as seqjoin drives it: one
 * connection's two directions (32-bit sequence numbers unwrapped as seqjoin
 * does), segments with arbitrary sequence numbers, lengths, payload bytes
 * (all of them, or fewer than the length as a capture may cut them) and
 * retransmission flags, the peer's ACKs, SYNs, the close, ticks, and the end
 * of input.  Every record that comes out is checked for what reasm.h
 * promises.
 *
 * Input: byte 0 picks the record length (25 + byte % 40, or 400 when 0),
 * byte 1 the window (1 + byte % 8 s) and the format (byte / 8 % 4); then
 * operations, each one byte:
 *   bit 7      direction
 *   bits 0-2   0 SYN (u32 isn), 1/2/3 data (u32 seq, u16 len, u8 n, n
 *              payload bytes; 1 and 3 as given, 2 cut to half), 4 ACK
 *              (u32), 5 close (the first only), 6 tick, 7 finish
 *   bits 3-6   time step: 0 back one ms, else (step - 1) x 13 ms forward;
 *              bit 3 also flags data as a retransmission
 * Times start at 1700000000 s, so born times near that decode as records.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/reasm -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-reasm tests/fuzz/corpus/reasm
 * make check replays tests/fuzz/corpus/reasm (tests/13-fuzz-replay.t).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct out_ctx {
	int64_t last_index;
	uint64_t n;
	int backwards;		/* capture times went back at some point */
};

static void
on_record(void *ctx, const struct reasm_rec *rec)
{
	struct out_ctx *o = ctx;

	/* each record once, in stream order, with data flags only */
	if (rec->index <= o->last_index || rec->index < 0)
		abort();
	if (rec->info.kind != REC_KIND_DATA)
		abort();
	if (rec->retx != 0 && rec->retx != 1)
		abort();
	/* an ACK counts from the record's time on (times back: it may not) */
	if (rec->rtt_ns < -1 && !o->backwards)
		abort();
	o->last_index = rec->index;
	o->n++;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reasm_stats stats;
	struct seq_unwrap u[2];
	struct out_ctx octx[2] = { { -1, 0, 0 }, { -1, 0, 0 } };
	struct reasm *half[2];
	int64_t now = INT64_C(1700000000) * 1000000000;
	size_t pos = 2;
	int closed = 0;

	if (size < 2)
		return 0;
	memset(&stats, 0, sizeof(stats));
	memset(u, 0, sizeof(u));
	for (int d = 0; d < 2; d++) {
		struct reasm_cfg cfg = {
			.len = data[0] ? REC_HDR_MAX + data[0] % 40u : 400,
			.fmt = (enum rec_format)(data[1] / 8 % REC_FMT_COUNT),
			.window_ns = (1 + data[1] % 8) * INT64_C(1000000000),
			.grace_ns = INT64_C(500000000),
			.out = on_record,
			.ctx = &octx[d],
			.stats = &stats,
		};
		if ((half[d] = reasm_new(&cfg)) == NULL)
			abort();
	}
	while (pos < size) {
		uint8_t op = data[pos++];
		int d = op >> 7, step = (op >> 3) & 0x0f;
		struct reasm *h = half[d];

		now += step == 0 ? -1000000 : (step - 1) * INT64_C(13000000);
		if (step == 0)
			octx[0].backwards = octx[1].backwards = 1;
		switch (op & 7) {
		case 0:
			if (size - pos < 4)
				goto done;
			reasm_start(h, seq_unwrap(&u[d], get32(data + pos)) + 1);
			pos += 4;
			break;
		case 1: case 2: case 3: {
			uint32_t seq, len;
			size_t n;
			uint8_t *bytes;

			if (size - pos < 7)
				goto done;
			seq = get32(data + pos);
			len = (uint32_t)data[pos + 4] << 8 | data[pos + 5];
			n = data[pos + 6];
			pos += 7;
			if (n > size - pos)
				n = size - pos;
			if ((op & 7) == 2)
				n /= 2;
			if (n > len)
				n = len;
			/* exactly as long as given, so ASan sees overreads */
			if ((bytes = malloc(n ? n : 1)) == NULL)
				abort();
			memcpy(bytes, data + pos, n);
			pos += n;
			reasm_data(h, now, seq_unwrap(&u[d], seq), len, bytes,
			    (uint32_t)n, op >> 3 & 1);
			free(bytes);
			break;
		}
		case 4:
			if (size - pos < 4)
				goto done;
			reasm_ack(half[!d], now, seq_unwrap(&u[!d],
			    get32(data + pos)));
			pos += 4;
			break;
		case 5:
			/* once, as seqjoin: a close visits every held record */
			if (!closed) {
				reasm_close(half[0], now);
				reasm_close(half[1], now);
			}
			closed = 1;
			break;
		case 6:
			reasm_tick(h, now);
			break;
		case 7:
			goto done;
		}
		(void)reasm_held(h);
		(void)reasm_state(h);
	}
done:
	for (int d = 0; d < 2; d++) {
		int64_t f;

		reasm_finish(half[d]);
		if (reasm_held(half[d]) != 0)
			abort();	/* finish outputs every record held */
		(void)reasm_frontier(half[d], &f);
		reasm_free(half[d]);
	}
	return 0;
}

/*
 * Fuzz target: the record reassembly lib/reasm as seqjoin drives it: one
 * connection's two directions, segments with arbitrary sequence numbers,
 * lengths, payload hex (plain, colon-separated, or arbitrary hex-alphabet
 * text as a bad row might carry) and retransmission flags, the peer's ACKs,
 * SYNs, the close, ticks, and the end of input.  Every record that comes out
 * is checked for what reasm.h promises.
 *
 * Input: byte 0 picks the record length (13 + byte % 52, or 400 when 0),
 * byte 1 the window (1 + byte % 8 s); then operations, each one byte:
 *   bit 7      direction
 *   bits 0-2   0 SYN (u32 isn), 1/2/3 data (u32 seq, u16 len, u8 n, n
 *              payload bytes; 1 plain hex, 2 colon hex, 3 raw text mapped
 *              to hex characters), 4 ACK (u32), 5 close (the first
 *              only), 6 tick, 7 finish
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
	if (rec->flag != REC_DATA_MS && rec->flag != REC_DATA_US)
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
	static const char digits[] = "0123456789abcdef";
	struct reasm_stats stats;
	struct out_ctx octx[2] = { { -1, 0, 0 }, { -1, 0, 0 } };
	struct reasm *half[2];
	int64_t now = INT64_C(1700000000) * 1000000000;
	size_t pos = 2;
	int closed = 0;

	if (size < 2)
		return 0;
	memset(&stats, 0, sizeof(stats));
	for (int d = 0; d < 2; d++) {
		struct reasm_cfg cfg = {
			.len = data[0] ? REC_HDR_LEN + data[0] % 52u : 400,
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
			reasm_isn(h, get32(data + pos));
			pos += 4;
			break;
		case 1: case 2: case 3: {
			uint32_t seq, len;
			size_t n, hexlen = 0;
			char *hex;

			if (size - pos < 7)
				goto done;
			seq = get32(data + pos);
			len = (uint32_t)data[pos + 4] << 8 | data[pos + 5];
			n = data[pos + 6];
			pos += 7;
			if (n > size - pos)
				n = size - pos;
			/* exactly as long as the text, so ASan sees overreads */
			if ((hex = malloc(n * 3 + 1)) == NULL)
				abort();
			for (size_t i = 0; i < n; i++) {
				uint8_t b = data[pos + i];

				if ((op & 7) == 3) {
					hex[hexlen++] = b % 17 == 16 ? ':' :
					    digits[b % 17];
					continue;
				}
				if ((op & 7) == 2 && i > 0)
					hex[hexlen++] = ':';
				hex[hexlen++] = digits[b >> 4];
				hex[hexlen++] = digits[b & 15];
			}
			hex[hexlen] = '\0';
			pos += n;
			reasm_data(h, now, seq, len, hex, hexlen, op >> 3 & 1);
			free(hex);
			break;
		}
		case 4:
			if (size - pos < 4)
				goto done;
			reasm_ack(half[!d], now, get32(data + pos));
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

#include "record.h"

void
rec_encode(uint8_t *buf, const struct rec *r)
{
	for (int i = 0; i < 8; i++)
		buf[i] = (uint8_t)(r->born >> (56 - 8 * i));
	for (int i = 0; i < 4; i++)
		buf[8 + i] = (uint8_t)(r->seq >> (24 - 8 * i));
	buf[12] = r->flag;
}

void
rec_decode(const uint8_t *buf, struct rec *r)
{
	r->born = 0;
	for (int i = 0; i < 8; i++)
		r->born = r->born << 8 | buf[i];
	r->seq = 0;
	for (int i = 0; i < 4; i++)
		r->seq = r->seq << 8 | buf[8 + i];
	r->flag = buf[12];
}

int
rec_is_data(const struct rec *r)
{
	return r->flag == REC_DATA_MS || r->flag == REC_DATA_US;
}

double
rec_born_ms(const struct rec *r)
{
	return r->flag == REC_DATA_US ? (double)r->born / 1000.0 :
	    (double)r->born;
}

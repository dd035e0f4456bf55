/*
 * numdouble: checks lib/util's num_double against strtod, bit for bit.
 * Reads decimal numbers, one a line, on stdin; prints each one whose value
 * differs as "TEXT num_double strtod" (%a), or whose syntax num_double
 * refuses, and last "N checked, M differ".  Exit 1 when any differs.
 * With "random N" as arguments it checks N numbers of the shapes the
 * filters read (epoch times with 6 or 9 decimals, milliseconds, long digit
 * strings) from a fixed seed instead.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int
check(const char *s, unsigned long long *differ)
{
	double a, b = strtod(s, NULL);

	if (num_double(s, -HUGE_VAL, HUGE_VAL, &a) != NUM_OK) {
		printf("%s refused\n", s);
		++*differ;
	} else if (memcmp(&a, &b, sizeof(a)) != 0) {
		printf("%s %a %a\n", s, a, b);
		++*differ;
	}
	return 0;
}

/* A number of shape k (0..3) from the generator state *x (xorshift64). */
static void
shape(uint64_t *x, int k, char *out, size_t room)
{
	uint64_t r[4];

	for (int i = 0; i < 4; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		r[i] = *x;
	}
	switch (k) {
	case 0:	/* epoch seconds, ns */
		snprintf(out, room, "%" PRIu64 ".%09" PRIu64,
		    1700000000 + r[0] % 200000000, r[1] % 1000000000);
		break;
	case 1:	/* epoch seconds, us, as pcap2csv pads them */
		snprintf(out, room, "%" PRIu64 ".%06" PRIu64 "000",
		    1700000000 + r[0] % 200000000, r[1] % 1000000);
		break;
	case 2:	/* milliseconds, signed */
		snprintf(out, room, "%s%" PRIu64 ".%03" PRIu64, r[2] & 1 ? "-" : "",
		    r[0] % 100000, r[1] % 1000);
		break;
	default: {	/* up to 25 digits, the point anywhere */
		size_t n = 1 + r[0] % 25, at = r[1] % (n + 1), o = 0;

		for (size_t i = 0; i < n && o + 2 < room; i++) {
			if (i == at && i > 0)
				out[o++] = '.';
			out[o++] = (char)('0' + (r[2] >> (i % 16 * 4)) % 10);
			if (i % 16 == 15)
				r[2] = r[3] * (i + 7);
		}
		out[o] = '\0';
	}
	}
}

int
main(int argc, char **argv)
{
	unsigned long long n = 0, differ = 0;
	char line[256];

	if (argc == 3 && strcmp(argv[1], "random") == 0) {
		unsigned long long want = strtoull(argv[2], NULL, 10);
		uint64_t x = 88172645463325252ULL;

		for (; n < want; n++) {
			shape(&x, (int)(n % 4), line, sizeof(line));
			check(line, &differ);
		}
	} else {
		while (fgets(line, sizeof(line), stdin) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			check(line, &differ);
			n++;
		}
	}
	printf("%llu checked, %llu differ\n", n, differ);
	return differ > 0;
}

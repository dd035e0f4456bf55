#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "clock.h"

static uint64_t
clk_get(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t
clk_real_ns(void)
{
	return clk_get(CLOCK_REALTIME);
}

uint64_t
clk_mono_ns(void)
{
	return clk_get(CLOCK_MONOTONIC);
}

struct timespec
clk_ts(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / NS_PER_S),
		.tv_nsec = (long)(ns % NS_PER_S),
	};

	return ts;
}

int
clk_sleep_until(uint64_t mono_ns)
{
	struct timespec ts = clk_ts(mono_ns);
	int rc;

	/* clock_nanosleep returns the error number instead of setting errno */
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	return rc == 0 ? 0 : -1;
}

void
clk_put_epoch(struct at_writer *w, uint64_t real_ns)
{
	at_putf(w, "%" PRIu64 ".%09" PRIu64, real_ns / NS_PER_S,
	    real_ns % NS_PER_S);
}

int
clk_parse_seconds(const char *s, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) || v < 0 ||
	    v > 1e9)
		return -1;
	*ns = (uint64_t)llround(v * 1e9);
	return 0;
}

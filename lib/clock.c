#include "clock.h"

static uint64_t
clk_get(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * (uint64_t)NST_S + (uint64_t)ts.tv_nsec;
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
		.tv_sec = (time_t)(ns / (uint64_t)NST_S),
		.tv_nsec = (long)(ns % (uint64_t)NST_S),
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

/*
 * clock.h: the clocks of the live programs (udsend, udrecv).  Deadlines are
 * kept on CLOCK_MONOTONIC so that a step of the wall clock cannot bunch or
 * stretch the send schedule; what is printed (born, sent, time) is wall
 * clock, as the other host and the capture see it.  Times are ns, written
 * and parsed by lib/nstime.
 */
#ifndef MPTK_CLOCK_H
#define MPTK_CLOCK_H

#include <stdint.h>
#include <time.h>

#include "nstime.h"

uint64_t clk_real_ns(void);	/* CLOCK_REALTIME, ns since the epoch */
uint64_t clk_mono_ns(void);	/* CLOCK_MONOTONIC, ns */

struct timespec clk_ts(uint64_t ns);

/*
 * Sleeps until the monotonic time `ns` (clock_nanosleep, TIMER_ABSTIME).
 * Returns 0 once it is reached, -1 when a signal interrupted the sleep.
 */
int clk_sleep_until(uint64_t mono_ns);

#endif

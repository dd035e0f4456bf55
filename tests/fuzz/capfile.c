/*
 * Fuzz target: lib/capfile, the capture reader behind pcap2csv: the input
 * is a whole capture file (pcap, pcapng, either gzip-compressed; the
 * pcapng files libpcap refuses go through capfile's own block reader),
 * opened with cap_fdopen on a memory file, every packet read with
 * cap_next and dissected with its own link type (lib/dissect), as
 * filters/pcap2csv.c reads it.
 *
 * Build and run (clang with libFuzzer), e.g. for 180 seconds:
 *   make fuzz
 *   obj/fuzz/capfile -max_total_time=180 -close_fd_mask=3 \
 *       obj/fuzz/corpus-capfile tests/fuzz/corpus/capfile
 * make check replays tests/fuzz/corpus/capfile (tests/13-fuzz-replay.t).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capfile.h"
#include "dissect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[CAP_ERRBUF];
	struct capfile *c;
	struct cap_packet p;
	struct dissection d;
	int dlts[16], fd;
	size_t done = 0;

	if ((fd = memfd_create("capture", MFD_CLOEXEC)) < 0)
		abort();
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if ((c = cap_fdopen(fd, "fuzz", errbuf)) == NULL) {
		if (strncmp(errbuf, "fuzz: ", 6) != 0)
			abort();	/* a message names the input */
		return 0;
	}
	(void)cap_linktypes(c, dlts, 16);
	(void)cap_compressed(c);
	while (cap_next(c, &p) == 1) {
		/* a copy of exactly caplen bytes: ASan sees a caplen longer
		 * than what the reader holds, and the dissector's overreads */
		uint8_t *frame = malloc(p.caplen ? p.caplen : 1);

		if (frame == NULL)
			abort();
		memcpy(frame, p.data, p.caplen);
		dissect_frame(p.dlt, frame, p.caplen, p.len, &d);
		free(frame);
	}
	if (cap_error(c)[0] == '\0' && cap_cut_short(c))
		abort();		/* cut short without saying so */
	cap_close(c);
	return 0;
}

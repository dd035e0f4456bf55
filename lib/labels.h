/*
 * labels.h: the label map that renames paths for output (DESIGN.md, "Ports
 * and paths"): `port@label` lines, e.g. `3271@CHT NR`, read with libcsv by
 * lib/atcsv, so a label holding '@' or '"' is quoted as in the stream.
 * There is no header line and every line is a pair.
 */
#ifndef MPTK_LABELS_H
#define MPTK_LABELS_H

#include <stddef.h>

struct labels;

/*
 * Reads the map from `file`.  Returns NULL after printing
 * "prog: file:line: what" (unreadable file, a port that is not 1-65535,
 * a line without exactly two fields, an empty label, a port given twice).
 */
struct labels *labels_read(const char *file);
void labels_free(struct labels *l);

/* Entries in file order. */
size_t labels_count(const struct labels *l);
unsigned labels_port(const struct labels *l, size_t i);
const char *labels_name(const struct labels *l, size_t i);

/* The label of `port`, or NULL when the map has none. */
const char *labels_get(const struct labels *l, unsigned port);
/* Position of `port` in file order, or -1. */
long labels_index(const struct labels *l, unsigned port);

#endif

#include <stdlib.h>
#include <string.h>

#include "spans.h"
#include "util.h"

int64_t
spans_add(struct spans *sp, int64_t s, int64_t e)
{
	size_t a = 0, b, hi = sp->n;
	int64_t had = 0, ns = s, ne = e;

	if (e <= s)
		return 0;
	while (a < hi) {	/* the first range that ends at or after s */
		size_t mid = a + (hi - a) / 2;

		if (sp->v[mid].e < s)
			a = mid + 1;
		else
			hi = mid;
	}
	for (b = a; b < sp->n && sp->v[b].s <= e; b++) {
		int64_t os = sp->v[b].s > s ? sp->v[b].s : s;
		int64_t oe = sp->v[b].e < e ? sp->v[b].e : e;

		if (oe > os)
			had += oe - os;
		if (sp->v[b].s < ns)
			ns = sp->v[b].s;
		if (sp->v[b].e > ne)
			ne = sp->v[b].e;
	}
	if (a == b) {		/* apart from every range: a new one at a */
		if (sp->n == sp->cap) {
			sp->cap = sp->cap ? 2 * sp->cap : 16;
			sp->v = ereallocarray(sp->v, sp->cap, sizeof(*sp->v));
		}
		memmove(sp->v + a + 1, sp->v + a, (sp->n - a) * sizeof(*sp->v));
		sp->n++;
	} else if (b > a + 1) {	/* ranges a..b-1 become one */
		memmove(sp->v + a + 1, sp->v + b, (sp->n - b) * sizeof(*sp->v));
		sp->n -= b - a - 1;
	}
	sp->v[a].s = ns;
	sp->v[a].e = ne;
	return (e - s) - had;
}

void
spans_free(struct spans *sp)
{
	free(sp->v);
	memset(sp, 0, sizeof(*sp));
}

# mptk: Unix filters for redundant multi-path network experiments.
# `make` builds bin/, `make check` installs what is missing (as root, `make
# deps`) and runs the TAP tests, `make check SAN=1` does so under ASan and
# UBSan, `make demo` installs the same, builds and runs examples/demo.sh.

VERSION  = 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS     = libpcap gsl zlib nettle

WARN     = -Wall -Wextra -Werror
BASEFLAGS = -std=c17 -O2 -g $(WARN) -D_GNU_SOURCE -Ilib \
	    -DVERSION='"$(VERSION)"'
ifeq ($(SAN),1)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
MODE     = san
else
MODE     = std
endif

# Recursive (=), so a `make check` that has just installed the -dev packages
# still finds their flags.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(BASEFLAGS) $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDLIBS = $(PKG_LIBS) -lcsv -lm $(LDLIBS)

OBJ      = obj/$(MODE)
# A program is filters/NAME.c, or filters/NAME/*.c once it outgrew one file.
PROGDIRS = $(patsubst filters/%/,%,$(dir $(wildcard filters/*/*.c)))
PROGS    = $(patsubst filters/%.c,bin/%,$(wildcard filters/*.c)) \
	   $(patsubst %,bin/%,$(sort $(PROGDIRS)))
LIBOBJS  = $(patsubst lib/%.c,$(OBJ)/lib/%.o,$(wildcard lib/*.c))
TOOLS    = $(patsubst tests/tools/%.c,$(OBJ)/tools/%,$(wildcard tests/tools/*.c))
MAN1     = $(wildcard man/*.1)
MAN7     = $(wildcard man/*.7)

all: $(PROGS)

# Remembers the build mode so that switching SAN on or off relinks bin/.
bin/.mode: FORCE
	@mkdir -p bin
	@echo $(MODE) | cmp -s - $@ || echo $(MODE) > $@

$(OBJ)/libmptk.a: $(LIBOBJS)
	@rm -f $@
	ar rcs $@ $(LIBOBJS)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

prog_objs = $(patsubst %.c,$(OBJ)/%.o,$(wildcard filters/$(1).c filters/$(1)/*.c))
.SECONDEXPANSION:
bin/%: $$(call prog_objs,$$*) $(OBJ)/libmptk.a bin/.mode
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) \
	    $(OBJ)/libmptk.a $(ALL_LDLIBS)

# Small programs that only tests use (capture writers, library drivers).
$(OBJ)/tools/%: $(OBJ)/tests/tools/%.o $(OBJ)/libmptk.a bin/.mode
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(OBJ)/libmptk.a $(ALL_LDLIBS)

# Fuzz targets (tests/fuzz/TARGET.c) replayed on their committed corpus by
# make check through replay.c, built with the normal compiler.
FUZZTARGETS = $(filter-out replay prog,$(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c)))
REPLAYS  = $(patsubst %,$(OBJ)/tools/replay-%,$(FUZZTARGETS))
# Targets that run a filter's own main (tests/fuzz/prog.h): its files built
# again with exit/err/errx ending the run, not the process, into
# $(OBJ)/fuzzprog/ (and obj/fuzz/fuzzprog/), with tests/fuzz/prog.c.
FUZZPROGS = heatmat retxrate rttpairs seqjoin
PROGFLAGS = -include tests/fuzz/prog.h -Dmain=prog_main
fuzzprog_objs = $(if $(filter $(2),$(FUZZPROGS)),$(patsubst %.c,$(1)/fuzzprog/%.o,$(wildcard filters/$(2).c filters/$(2)/*.c)) $(1)/tests/fuzz/prog.o)

$(OBJ)/fuzzprog/%.o: %.c tests/fuzz/prog.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PROGFLAGS) -MMD -MP -c -o $@ $<

$(OBJ)/tools/replay-%: $(OBJ)/tests/fuzz/replay.o $(OBJ)/tests/fuzz/%.o $$(call fuzzprog_objs,$(OBJ),$$*) $(OBJ)/libmptk.a bin/.mode
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) \
	    $(OBJ)/libmptk.a $(ALL_LDLIBS)

# atcat again over lib/atcsv built with 64-byte read blocks and without
# its AVX2 scan: lines across block ends, blocks that grow, and the SSE2
# (or portable) scan, which an AVX2 machine never runs otherwise.
SMALLREAD = -DAT_READ_BUFSIZE=64 -DAT_NO_AVX2
$(OBJ)/smallread/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SMALLREAD) -MMD -MP -c -o $@ $<

$(OBJ)/tools/atcat-smallread: $(OBJ)/smallread/tests/tools/atcat.o $(OBJ)/smallread/lib/atcsv.o $(OBJ)/libmptk.a bin/.mode
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) \
	    $(OBJ)/libmptk.a $(ALL_LDLIBS)

tools: $(TOOLS) $(REPLAYS) $(OBJ)/tools/atcat-smallread

# `make fuzz`: libFuzzer binaries obj/fuzz/TARGET (clang only, opt-in, not
# part of make check); see tests/fuzz/README for how to run them.
FUZZCC    = clang
FUZZFLAGS = -std=c17 -O1 -g $(WARN) -D_GNU_SOURCE -Ilib \
	    -DVERSION='"$(VERSION)"' -fno-omit-frame-pointer \
	    -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZLIBOBJS = $(patsubst lib/%.c,obj/fuzz/lib/%.o,$(wildcard lib/*.c))

obj/fuzz/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

obj/fuzz/libmptk.a: $(FUZZLIBOBJS)
	@rm -f $@
	ar rcs $@ $(FUZZLIBOBJS)

obj/fuzz/fuzzprog/%.o: %.c tests/fuzz/prog.h
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) $(PROGFLAGS) -MMD -MP -c -o $@ $<

obj/fuzz/tests/fuzz/prog.o: tests/fuzz/prog.c tests/fuzz/prog.h
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

obj/fuzz/%: tests/fuzz/%.c $$(call fuzzprog_objs,obj/fuzz,$$*) obj/fuzz/libmptk.a
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< \
	    $(filter %.o,$^) obj/fuzz/libmptk.a $(PKG_LIBS) -lcsv -lm

fuzz: $(patsubst %,obj/fuzz/%,$(FUZZTARGETS))

-include $(wildcard $(OBJ)/smallread/*/*.d $(OBJ)/smallread/tests/tools/*.d $(OBJ)/*/*.d $(OBJ)/filters/*/*.d $(OBJ)/tests/tools/*.d $(OBJ)/tests/fuzz/*.d obj/fuzz/lib/*.d $(OBJ)/fuzzprog/filters/*.d $(OBJ)/fuzzprog/filters/*/*.d obj/fuzz/fuzzprog/filters/*.d obj/fuzz/fuzzprog/filters/*/*.d)

# The one set-up step of `make check` and `make demo` on a fresh Debian
# machine: installs what the build, the tests and the demo use (as root),
# or prints the apt-get line to run and fails.
deps:
	@sh tests/deps.sh

# Tests see the binaries through MPTK_BIN; ASan/UBSan stop at the first error.
# The build runs after deps, in a new make, so it sees the new pkg-config files.
check: deps
	@$(MAKE) --no-print-directory all tools
	MPTK_BIN=$(CURDIR)/bin MPTK_TOOLS=$(CURDIR)/$(OBJ)/tools MPTK_SAN=$(SAN) \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    prove -f tests/*.t

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man7 $(DESTDIR)$(PREFIX)/share/mptk
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1)
	$(if $(MAN7),install -m 644 $(MAN7) $(DESTDIR)$(PREFIX)/share/man/man7)
	cp -R share/. $(DESTDIR)$(PREFIX)/share/mptk/
	install -d $(DESTDIR)$(PREFIX)/share/mptk/examples
	install -m 644 examples/summary.awk examples/crontab examples/README.md \
	    $(DESTDIR)$(PREFIX)/share/mptk/examples
	sed -e 's|^BIN      ?= .*|BIN      ?= $$(HERE)../../../bin|' \
	    -e 's|^SHARE    ?= .*|SHARE    ?= $$(HERE)..|' \
	    -e 's|^MPTK=.*|MPTK=$(PREFIX)|' examples/Makefile \
	    > $(DESTDIR)$(PREFIX)/share/mptk/examples/Makefile
	sed -e 's|^MPTK=.*|MPTK=$(PREFIX)|' examples/crontab \
	    > $(DESTDIR)$(PREFIX)/share/mptk/examples/crontab

clean:
	rm -rf bin obj

.PHONY: all tools deps check demo install clean fuzz FORCE
.SECONDARY:

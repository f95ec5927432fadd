# uringcheck - io_uring kernel-interface conformance suite.
#
#   make            build everything into build/ (installs apt deps as root)
#   make run        the suite on the running kernel, reports in reports/out/
#   make check      the project's own tests, then the suite
#   make asan       ASan/UBSan builds of the unit tests and cases
#
# KSFT_DIR=<kernel>/tools/testing/selftests takes kselftest_harness.h from a
# kernel tree instead of Debian's linux-source-6.12.

CC       ?= cc
PYTHON   ?= python3
BUILD    := build
CSTD     := -std=gnu11 -D_GNU_SOURCE
# snprintf truncation of long diagnostics is intended, not a bug
WARN     := -Wall -Wextra -Werror -Wno-format-truncation
CFLAGS   ?= -O2 -g
ASAN     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
# expanded when a link runs, i.e. after harness/deps.sh may have installed it
LIBURING  = $(shell ls /usr/lib/*/liburing.a /usr/lib/liburing.a /usr/local/lib/liburing.a \
		2>/dev/null | head -n 1)
KSFT     := $(BUILD)/ksft
JOBS     ?=
RUN_ARGS ?=
# failures this project's CI has triaged (XFAIL with their reason); KNOWN= to ignore
KNOWN    ?= reports/known-issues.txt

AREAS    := $(basename $(notdir $(wildcard cases/*.c)))
LIB_SRC  := ref/ring.c ref/op.c harness/backend.c harness/backend_ref.c \
	    harness/backend_liburing.c harness/case_ring.c harness/expect.c \
	    harness/names.c harness/probe.c harness/kmsg.c harness/modes.c \
	    harness/chain_model.c harness/resources.c harness/tasks.c \
	    inject/nop_inject.c
RUNNER_SRC := harness/runner.c harness/run_plan.c harness/run_group.c harness/run_known.c \
	      harness/run_tmpdir.c harness/resources.c \
	      inject/fault_plan.c harness/modes.c harness/probe.c harness/names.c ref/ring.c

.PHONY: all deps run check asan unit-tests bench mutate clean
.DELETE_ON_ERROR:

all: $(BUILD)/uringcheck $(BUILD)/urinject $(AREAS:%=$(BUILD)/cases/%) $(BUILD)/test/ring_test \
     $(BUILD)/test/ring_register_test $(BUILD)/test/op_test $(BUILD)/test/expect_test \
     $(BUILD)/test/kmsg_test \
     $(BUILD)/test/abi_crosscheck $(BUILD)/test/fixture_area \
     $(BUILD)/plugins/liburing_plugin.so $(BUILD)/test/lu_nops

# --- dependencies: one stamp, so a parallel make asks once ---
$(BUILD)/.deps: harness/deps.sh harness/apt.sh
	@mkdir -p $(BUILD)
	@KSFT_DIR="$(KSFT_DIR)" sh harness/deps.sh
	@touch $@

$(KSFT)/kselftest_harness.h: harness/ksft.sh | $(BUILD)/.deps
	@echo "  KSFT    $(if $(KSFT_DIR),$(KSFT_DIR),linux-source-6.12)"
	@KSFT_DIR="$(KSFT_DIR)" sh harness/ksft.sh $(KSFT)

# --- objects (normal and sanitized) ---
$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(ASAN) -MMD -MP -c $< -o $@

LIB_OBJ      := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/asan/obj/%.o)
# -isystem: the kselftest header is not ours to warn about
CASE_CFLAGS  = -isystem $(KSFT) -Iharness

$(BUILD)/uringcheck: $(RUNNER_SRC:%.c=$(BUILD)/obj/%.o)
	$(CC) $(CFLAGS) -o $@ $^

# a case binary: its file + the harness + the backends (liburing static)
$(BUILD)/cases/%: cases/%.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CASE_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJ) $(LIBURING)

$(BUILD)/asan/cases/%: cases/%.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(ASAN) $(CASE_CFLAGS) -MMD -MP -o $@ $< $(ASAN_LIB_OBJ) $(LIBURING)

# --- the project's own tests ---
LINK_TEST      = @mkdir -p $(dir $@); echo "  CC      $@"; \
		 $(CC) $(CSTD) $(WARN) $(CFLAGS) $(CASE_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJ) $(LIBURING)
LINK_ASAN_TEST = @mkdir -p $(dir $@); echo "  CC      $@"; \
		 $(CC) $(CSTD) $(WARN) $(ASAN) $(CASE_CFLAGS) -MMD -MP -o $@ $< $(ASAN_LIB_OBJ) $(LIBURING)

$(BUILD)/test/ring_test: ref/test/ring_test.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_TEST)
$(BUILD)/test/ring_register_test: ref/test/ring_register_test.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_TEST)
$(BUILD)/test/op_test: ref/test/op_test.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_TEST)
$(BUILD)/asan/test/op_test: ref/test/op_test.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_ASAN_TEST)
$(BUILD)/asan/test/fixture_area: harness/test/fixture_area.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_ASAN_TEST)
$(BUILD)/test/expect_test: harness/test/expect_test.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_TEST)
$(BUILD)/test/kmsg_test: harness/test/kmsg_test.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_TEST)
$(BUILD)/test/fixture_area: harness/test/fixture_area.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_TEST)
$(BUILD)/asan/test/ring_test: ref/test/ring_test.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_ASAN_TEST)
$(BUILD)/asan/test/ring_register_test: ref/test/ring_register_test.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_ASAN_TEST)
$(BUILD)/asan/test/kmsg_test: harness/test/kmsg_test.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_ASAN_TEST)
$(BUILD)/asan/test/expect_test: harness/test/expect_test.c $(ASAN_LIB_OBJ) $(KSFT)/kselftest_harness.h
	$(LINK_ASAN_TEST)

# syscall fault injection for any program (seccomp user notification)
$(BUILD)/urinject: $(BUILD)/obj/inject/urinject.o $(BUILD)/obj/inject/fault_plan.o
	$(CC) $(CFLAGS) -o $@ $^

# a plain liburing program for urinject's tests
$(BUILD)/test/lu_nops: inject/test/lu_nops.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -o $@ $< $(LIBURING)

# the ref-vs-liburing benchmark (bench.c and bench_ref.c cannot share a TU)
$(BUILD)/ucbench: $(BUILD)/obj/harness/bench.o $(BUILD)/obj/harness/bench_ref.o \
		$(BUILD)/obj/ref/ring.o
	$(CC) $(CFLAGS) -o $@ $^ $(LIBURING)

# the liburing backend again, as a plugin, to prove the plugin path
# (liburing.a is position-independent; its symbols stay inside the plugin)
$(BUILD)/plugins/liburing_plugin.so: harness/backend_liburing.c harness/uringcheck_plugin.h \
		| $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -fPIC -shared -DUC_PLUGIN -o $@ $< \
		-Wl,--exclude-libs,ALL $(LIBURING)

# the reference ring with wrong completions on purpose, for make mutate
$(BUILD)/plugins/mutant_plugin.so: inject/mutant_plugin.c harness/backend_ref.c ref/ring.c \
		harness/backend.h harness/uringcheck_plugin.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -fPIC -shared -Wl,-Bsymbolic -o $@ \
		inject/mutant_plugin.c harness/backend_ref.c ref/ring.c

# ABI cross-check: every name both ref/abi.h and <linux/io_uring.h> define
$(BUILD)/gen/abi_names.h: ref/abi.h ref/test/abi_names.sh
	@mkdir -p $(dir $@)
	sh ref/test/abi_names.sh ref/abi.h /usr/include/linux/io_uring.h > $@

$(BUILD)/test/abi_crosscheck: ref/test/abi_crosscheck.c ref/test/abi_values_ref.c \
		ref/test/abi_values_sys.c ref/test/abi_values.h ref/test/abi_fields.h \
		ref/test/abi_tables.h ref/abi.h \
		$(BUILD)/gen/abi_names.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -I$(BUILD)/gen -o $@ ref/test/abi_crosscheck.c \
		ref/test/abi_values_ref.c ref/test/abi_values_sys.c

ASAN_BINS := $(BUILD)/asan/test/ring_test $(BUILD)/asan/test/ring_register_test \
	     $(BUILD)/asan/test/op_test $(BUILD)/asan/test/fixture_area \
	     $(BUILD)/asan/test/expect_test $(BUILD)/asan/test/kmsg_test \
	     $(AREAS:%=$(BUILD)/asan/cases/%)
asan: $(ASAN_BINS)

# --- running ---
OUT = reports/out/$(shell uname -r)

run: all
	@mkdir -p $(OUT)
	@rc=0; $(BUILD)/uringcheck $(if $(JOBS),-j $(JOBS)) $(if $(KNOWN),--known $(KNOWN)) \
		$(RUN_ARGS) -o $(OUT)/ktap.txt || rc=$$?; \
	ln -sfn $(shell uname -r) reports/out/latest; \
	$(PYTHON) reports/uringreport.py run $(OUT)/ktap.txt $(OUT) || rc=$$((rc ? rc : 2)); \
	exit $$rc

UNIT_TESTS := test/ring_test test/ring_register_test test/op_test test/expect_test \
	      test/kmsg_test

unit-tests: all asan
	@echo "== ABI cross-check against <linux/io_uring.h>"
	@$(BUILD)/test/abi_crosscheck
	@echo "== ref unit tests and matcher self-tests (plain, then ASan/UBSan)"
	@for t in $(UNIT_TESTS:%=$(BUILD)/%) $(UNIT_TESTS:%=$(BUILD)/asan/%); do \
		$$t > $$t.ktap 2>&1 || { cat $$t.ktap; echo "FAILED: $$t"; exit 1; }; \
		printf '%-40s %s\n' "$$t" "$$(tail -n 1 $$t.ktap)"; \
	done
	@echo "== runner tests"
	@sh harness/test/runner_test.sh $(BUILD)
	@echo "== the liburing backend as a plugin: same verdicts as built in"
	@sh harness/test/plugin_test.sh $(BUILD)
	@echo "== urinject: syscall fault injection"
	@sh harness/test/inject_test.sh $(BUILD)
	@echo "== cases under ASan/UBSan (ref and liburing, every mode)"
	@sh harness/test/asan_cases.sh $(BUILD) $(AREAS)
	@echo "== report tool tests"
	@$(PYTHON) -m unittest discover -s reports/test -t reports > $(BUILD)/test/reports.log 2>&1 \
		|| { cat $(BUILD)/test/reports.log; exit 1; }
	@tail -n 3 $(BUILD)/test/reports.log
	@echo "== the VM path: nop on Debian's 6.1 kernel under qemu"
	@$(MAKE) --no-print-directory vm-smoke

check: unit-tests
	@echo "== the suite on $(shell uname -r)"
	@$(MAKE) --no-print-directory run

mutate: all $(BUILD)/plugins/mutant_plugin.so
	@sh harness/mutate.sh $(BUILD) reports/out/mutation.json

bench: all $(BUILD)/ucbench
	@mkdir -p reports/out
	@$(BUILD)/ucbench reports/out/bench.json

# --- other kernels (README "Other kernels (VM)"; scripts in harness/vm/) ---
# A VM guest has no libc: the runner, urinject and every area are linked
# -static from the same objects (built-in backends only: no dlopen).
STATIC     := $(BUILD)/static
# glibc warns that static dlopen (plugins) and getpwnam (NSS) need its shared
# libraries at run time: expected (the guest has neither), so not shown
STATIC_LD   = rm -f $@; $(CC) -static -o $@ $(1) 2>&1 | \
	      grep -v -e 'statically linked applications requires' -e '^/usr/bin/ld: .*: in function ' >&2; \
	      test -x $@
KERNEL     ?= 6.1
VM_TIMEOUT ?= 1800
PREFIX     ?= /usr/local
DESTDIR    ?=
VM_RUN      = KNOWN="$(KNOWN)" PYTHON="$(PYTHON)" sh harness/vm/run.sh

.PHONY: static vm vm-smoke compat install

static: $(STATIC)/uringcheck $(STATIC)/urinject $(AREAS:%=$(STATIC)/cases/%)

$(STATIC)/uringcheck: $(RUNNER_SRC:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(dir $@); echo "  STATIC  $@"
	@$(call STATIC_LD,$(CFLAGS) $^)
$(STATIC)/urinject: $(BUILD)/obj/inject/urinject.o $(BUILD)/obj/inject/fault_plan.o
	@mkdir -p $(dir $@); echo "  STATIC  $@"
	@$(call STATIC_LD,$(CFLAGS) $^)
$(STATIC)/cases/%: cases/%.c $(LIB_OBJ) $(KSFT)/kselftest_harness.h
	@mkdir -p $(dir $@); echo "  STATIC  $@"
	@$(call STATIC_LD,$(CSTD) $(WARN) $(CFLAGS) $(CASE_CFLAGS) -MMD -MP $< $(LIB_OBJ) $(LIBURING))

vm: static
	@VM_TIMEOUT="$(VM_TIMEOUT)" $(VM_RUN) "$(KERNEL)" -j $(or $(JOBS),2) $(RUN_ARGS)

# CI's proof that the VM path works: one area on 6.1, its own report dir;
# non-zero when the guest gave no KTAP or a case failed. Only the runner and
# that area are linked, so `make check` pays seconds, not the whole static suite
vm-smoke: $(STATIC)/uringcheck $(STATIC)/urinject $(STATIC)/cases/nop
	@VM_OUT=$(BUILD)/vm/smoke VM_TIMEOUT=120 $(VM_RUN) 6.1 -j 2 -a nop

compat:
	@sh harness/vm/compat.sh "$(MAKE)" $(BUILD) reports/out

install: all
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" KSFT_DIR="$(KSFT_DIR)" \
		sh harness/vm/install.sh $(BUILD) "$(KNOWN)" $(AREAS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

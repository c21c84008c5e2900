# SPDX-License-Identifier: GPL-2.0
#
# make              build vmxhv.ko for the running kernel (KDIR= for others)
# make check        the whole test suite (installs what it needs)
# make demo         boot the emulated PC and show a guest running
# make shell        interactive shell in the emulated PC, module loaded
# make modules-all  build for both Debian kernels into build/<flavor>/
# make bench        exit-path cost next to KVM, in the emulated PC
# make debug-kernel build (once, cached) the KASAN/lockdep/kmemleak kernel
# make check-debug  the emulated suite on that kernel (not part of make check)

KDIR ?= /lib/modules/$(shell uname -r)/build
FLAVORS := 6.1 6.12
BUILD := build

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf $(BUILD)
	$(MAKE) -C tests/unit clean

# Out-of-tree builds for several kernels cannot share one tree, so each
# flavor builds in its own copy of the sources.
SRCS := Kbuild $(wildcard src/*.c src/*.h src/*.S src/lib/*.c src/lib/*.h src/lib/*.def include/vmxhv/*.h include/vmxhv/*.def trace/*.h)

modules-all: $(foreach f,$(FLAVORS),$(BUILD)/$(f)/vmxhv.ko)

$(BUILD)/%/vmxhv.ko: $(SRCS)
	@mkdir -p $(BUILD)/$*/src $(BUILD)/$*/trace
	@tar cf - $(SRCS) | tar xf - -C $(BUILD)/$*
	$(MAKE) -C "$$(scripts/vm-kernels.sh kdir $*)" M=$(CURDIR)/$(BUILD)/$* W=1 modules 2>&1 | tee $(BUILD)/$*/build.log
	@! grep -E "warning:|error:" $(BUILD)/$*/build.log

guests:
	$(MAKE) -C tests/guests

deps:
	scripts/vm-deps.sh

unit:
	$(MAKE) -C tests/unit check

check:
	scripts/check.sh

demo:
	scripts/demo.sh

# Exit-path bench next to KVM in the emulated PC (Documentation/bench.md).
bench: deps
	scripts/bench.sh

# The debug kernel (Documentation/testing.md): built from source once,
# then cached in ~/.cache/vmxhv/kernels/debug.
debug-kernel: deps
	scripts/debug-kernel.sh

check-debug: deps
	scripts/check-debug.sh

shell: deps modules-all guests
	scripts/vm-shell.sh --flavor $(or $(FLAVOR),6.12) --module $(BUILD)/$(or $(FLAVOR),6.12)/vmxhv.ko

.PHONY: all module clean modules-all guests deps unit check demo shell bench debug-kernel check-debug

# Makefile
#
# Top-level PGXS build of the tmebox extension: tmebox.so (the PostgreSQL
# glue, KeyID detection, and the sandbox runtime and language handler when
# their directories provide runtime.mk / pl.mk), the install script, and
# the sub-projects with their own Makefiles (sandbox libc, tmebox-cc,
# tmebox-run).  Every part listed here is required: a missing one stops
# make with its name (nothing is skipped silently).
#
#   make                  build everything
#   make install          install into the PostgreSQL found by pg_config
#   make installcheck     pg_regress + isolation tests against a running server
#   make check-units      unit tests of every C part
#
# -Werror belongs in CI only: make PG_CFLAGS=-Werror

EXTENSION = tmebox
# The version CREATE EXTENSION installs (tmebox.control's default_version):
# its script is generated from extension/sql/tmebox.sql.  Earlier versions'
# install scripts are kept frozen, with an update script from each to the
# next (ALTER EXTENSION tmebox UPDATE).
EXTVERSION = 0.2
MODULE_big = tmebox
PGFILEDESC = "tmebox - untrusted C functions in TME-Box sandboxes"

OBJS = \
	extension/keyid/keyid_eval.o \
	extension/keyid/keyid_probe.o \
	extension/keyid/keyid_registry.o \
	extension/pg/tpg_admin.o \
	extension/pg/tpg_backend.o \
	extension/pg/tpg_carrier.o \
	extension/pg/tpg_catalog.o \
	extension/pg/tpg_check.o \
	extension/pg/tpg_compat.o \
	extension/pg/tpg_compile.o \
	extension/pg/tpg_depend.o \
	extension/pg/tpg_guc.o \
	extension/pg/tpg_keyreg.o \
	extension/pg/tpg_module.o \
	extension/pg/tpg_objcache.o \
	extension/pg/tpg_role.o \
	extension/pg/tpg_schema.o \
	extension/pg/tpg_tenant.o

# The runtime, the language handler and the verifier: each defines its
# objects relative to this directory.
include extension/runtime/runtime.mk
include extension/pl/pl.mk
include extension/verify/verify.mk
OBJS += $(RUNTIME_OBJS) $(PL_OBJS) $(VERIFY_OBJS)

DATA_built = extension/sql/$(EXTENSION)--$(EXTVERSION).sql
DATA = extension/sql/$(EXTENSION)--0.1.sql extension/sql/$(EXTENSION)--0.1--0.2.sql

REGRESS = install backend tenant privileges module language sharing depend containment hostcalls discard identity owner results rebind types bodies srf textarr tenantmem jsonb rows aggregates numeric interval spi bytecalls triggers arrays records
REGRESS_OPTS = --load-extension=$(EXTENSION)
ISOLATION = keyid_concurrency two_tenants tenant_recycle tenant_alter compile_cache rebind_snapshot
ISOLATION_OPTS = --load-extension=$(EXTENSION) --inputdir=extension/isolation

PG_CPPFLAGS = -Iextension/abi -Iextension/runtime -Iextension/keyid -Iextension/pl \
	-Iextension/pg -Iextension/verify $(shell $(PKG_CONFIG) --cflags libffi)
# Where the language finds tmebox-cc and the sandbox headers by default
# (superuser GUCs tmebox.compiler_path and tmebox.sandbox_dir override).
PG_CPPFLAGS += -DTMEBOX_BINDIR='"$(bindir)"' -DTMEBOX_SHAREDIR='"$(datadir)"'
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs libffi) $(RUNTIME_LIBS) $(PL_LIBS)
# Appended even to a PG_CFLAGS given on the command line (CI's -Werror).
# PostgreSQL's fmgr convention leaves fcinfo unused in many functions.
override PG_CFLAGS += -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-Wno-sign-compare
# Calls and data references inside tmebox.so bind to its own definitions
# at link time (no PLT or GOT indirection), which the per-row call path
# would otherwise pay several times.
SHLIB_LINK += -Wl,-Bsymbolic

PKG_CONFIG ?= pkg-config
PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Sub-projects, in build order (the compiler links the sandbox libc).
SUBDIRS_BUILD = extension/sandbox extension/compiler extension/run
# Sub-projects with unit tests ("make -C DIR check"), ours last; bench's
# check only builds the benchmarks (no timing).
SUBDIRS_CHECK = extension/sandbox extension/compiler extension/verify \
	extension/runtime extension/tests extension/fuzz extension/keyid bench

# PGXS tracks no header dependencies: rebuild every object when any of our
# headers changes (structs are shared between files).
$(OBJS): $(wildcard extension/*/*.h)

extension/sql/$(EXTENSION)--$(EXTVERSION).sql: extension/sql/$(EXTENSION).sql
	cp $< $@

all: all-subprojects check-layers

.PHONY: all-subprojects check-layers check-units install-subprojects clean-subprojects

# Arrows point down only (extension/DESIGN.md section 3): the language
# (extension/pl, pl_*) builds on the catalog and administration layer
# (extension/pg, tpg_*), never the other way round.  Part of every build.
check-layers:
	@if grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]pl_' extension/pg/*.[ch]; then \
		echo "extension/pg must not include extension/pl headers (the layer rule, extension/DESIGN.md section 3)"; \
		exit 1; \
	fi

all-subprojects:
	@set -e; for d in $(SUBDIRS_BUILD); do $(MAKE) -C $$d; done

# Runs every directory's tests even when one fails, then fails if any did.
check-units: check-layers
	@failed=""; for d in $(SUBDIRS_CHECK); do \
		echo "+++ unit tests in $$d +++"; \
		$(MAKE) -C $$d check || failed="$$failed $$d"; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "unit tests failed in:$$failed"; exit 1; \
	fi

TMEBOX_SANDBOX_DIR = $(datadir)/tmebox/sandbox

install: install-subprojects

install-subprojects: all-subprojects
	@set -e; \
	$(MKDIR_P) '$(DESTDIR)$(bindir)'; \
	for p in extension/compiler/tmebox-cc extension/run/tmebox-run; do \
		echo "$(INSTALL_PROGRAM) $$p '$(DESTDIR)$(bindir)/'"; \
		$(INSTALL_PROGRAM) $$p '$(DESTDIR)$(bindir)/'; \
	done; \
	$(MKDIR_P) '$(DESTDIR)$(TMEBOX_SANDBOX_DIR)/include'; \
	echo "cp -R extension/sandbox/include/. '$(DESTDIR)$(TMEBOX_SANDBOX_DIR)/include/'"; \
	cp -R extension/sandbox/include/. '$(DESTDIR)$(TMEBOX_SANDBOX_DIR)/include/'; \
	$(MKDIR_P) '$(DESTDIR)$(TMEBOX_SANDBOX_DIR)/lib'; \
	echo "$(INSTALL_DATA) extension/sandbox/lib/libc.bc '$(DESTDIR)$(TMEBOX_SANDBOX_DIR)/lib/'"; \
	$(INSTALL_DATA) extension/sandbox/lib/libc.bc '$(DESTDIR)$(TMEBOX_SANDBOX_DIR)/lib/'

clean: clean-subprojects

clean-subprojects:
	@set -e; for d in $(SUBDIRS_BUILD) $(SUBDIRS_CHECK); do \
		$(MAKE) -C $$d clean; done

# Benchmarks (bench/README.md): full run, and a reduced one (< 3 minutes).
.PHONY: bench bench-quick
bench:
	bench/run.sh full
bench-quick:
	bench/run.sh quick

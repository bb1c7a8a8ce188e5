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

# Every regression test, in order.  make installcheck with this whole
# list runs it in two steps (a new file runs in the first stream of step 2
# unless it is put in one of the lists below):
#   1. REGRESS_ALONE, one after the other in contrib_regression, nothing
#      else running: they list every tenant or module of the database,
#      print KeyIDs (unique across the cluster), set tmebox.max_keyids,
#      drop and create the extension, or write tenant rows by hand;
#   2. two streams side by side, each one file after the other: the rest
#      of REGRESS in contrib_regression (its output shown as it runs), and
#      REGRESS_SIDE in a database of its own, contrib_regression_side (in
#      output_side/, shown when it ends).  Separate databases: their
#      tenants, schemas, functions, tables and the ACLs of LANGUAGE tmebox
#      and of the schemas (two concurrent GRANTs on one object fail with
#      "tuple concurrently updated") never meet.  What the two streams
#      share is the cluster: each file has roles of its own names, prints
#      no KeyID and changes no setting that a file of the other stream
#      reads (hostcalls' ALTER SYSTEM cursor_tuple_fraction is read by no
#      other file).  Keep the two streams about equally long.
REGRESS = install backend tenant privileges module sharing depend identity owner language containment hostcalls discard results rebind types bodies srf textarr tenantmem jsonb rows rownumeric rownested aggregates numeric interval spi bytecalls triggers arrays records
REGRESS_ALONE = install backend tenant privileges module sharing depend identity owner
REGRESS_SIDE = types spi numeric rows interval records
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
# installcheck is ours (below): the two streams for the whole REGRESS list
NO_INSTALLCHECK = 1
EXTRA_CLEAN = output_side/ regression.diffs.alone .unit-failed
# the options without the --dbname that PGXS appends
REGRESS_SIDE_OPTS := $(REGRESS_OPTS)
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# make installcheck: the SQL tests, then the isolation tests.  The
# Makefile's own REGRESS list runs in the two steps described at REGRESS;
# REGRESS=... on the command line runs the files named, one after the
# other; REGRESS= or ISOLATION= leaves one kind out.
REGRESS_MAIN = $(filter-out $(REGRESS_ALONE) $(REGRESS_SIDE),$(REGRESS))
installcheck:
ifneq ($(strip $(REGRESS)),)
ifeq ($(origin REGRESS),file)
	@set -u; \
	for t in $(REGRESS_ALONE) $(REGRESS_SIDE); do \
		case " $(REGRESS) " in *" $$t "*) ;; \
		*) echo "REGRESS_ALONE/REGRESS_SIDE: $$t is not in REGRESS" >&2; exit 1 ;; esac; \
	done; \
	rc=0; \
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(filter $(REGRESS_ALONE),$(REGRESS)) || rc=1; \
	rm -f regression.diffs.alone; \
	if [ -f regression.diffs ]; then mv regression.diffs regression.diffs.alone; fi; \
	rm -rf output_side; mkdir output_side; \
	( $(pg_regress_installcheck) $(REGRESS_SIDE_OPTS) \
		--dbname=$(CONTRIB_TESTDB)_side --outputdir=output_side \
		$(filter $(REGRESS_SIDE),$(REGRESS)) ) >output_side/pg_regress.log 2>&1 & side=$$!; \
	$(pg_regress_installcheck) $(REGRESS_OPTS) --use-existing $(REGRESS_MAIN) || rc=1; \
	wait $$side || rc=1; \
	echo "+++ beside it, in database $(CONTRIB_TESTDB)_side (output_side/) +++"; \
	cat output_side/pg_regress.log; \
	if [ -f regression.diffs.alone ]; then \
		{ cat regression.diffs.alone; cat regression.diffs 2>/dev/null; } >regression.diffs.all; \
		mv regression.diffs.all regression.diffs; rm regression.diffs.alone; \
	fi; \
	exit $$rc
else
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)
endif
endif
ifneq ($(strip $(ISOLATION)),)
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)
endif

# Sub-projects, in build order (the compiler links the sandbox libc).
SUBDIRS_BUILD = extension/sandbox extension/compiler extension/run
# Sub-projects with unit tests ("make -C DIR check"); bench's check only
# builds the benchmarks (no timing).  check-units starts them in this
# order, UNIT_JOBS at a time: the fuzzers (a fixed time each) beside the
# single-threaded first half of extension/tests, then the rest beside the
# csmith seeds (two at a time).
SUBDIRS_CHECK = extension/fuzz extension/tests extension/compiler \
	extension/sandbox extension/verify extension/runtime bench extension/keyid
UNIT_JOBS ?= 2

# PGXS tracks no header dependencies: rebuild every object when any of our
# headers changes (structs are shared between files).
$(OBJS): $(wildcard extension/*/*.h)

extension/sql/$(EXTENSION)--$(EXTVERSION).sql: extension/sql/$(EXTENSION).sql
	cp $< $@

all: all-subprojects check-layers

.PHONY: all-subprojects check-layers check-units install-subprojects clean-subprojects \
	$(addprefix unit-check/,$(SUBDIRS_CHECK))

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
# UNIT_JOBS directories at a time (make -j: their own compiles share the
# same UNIT_JOBS slots); each directory's output is printed as one block
# when it ends (-Orecurse), closed by its result, wall time and CPU time.  The folders run in no fixed order, so a tool
# that one folder's tests take from another (tmebox-verify) is built first.
check-units: check-layers
	@rm -f .unit-failed
	@$(MAKE) -C extension/verify tmebox-verify >/dev/null
	@$(MAKE) --no-print-directory -j$(UNIT_JOBS) -Orecurse \
		$(addprefix unit-check/,$(SUBDIRS_CHECK)); \
	if [ -s .unit-failed ]; then \
		echo "unit tests failed in:$$(tr '\n' ' ' <.unit-failed)"; \
		rm -f .unit-failed; exit 1; \
	fi

$(addprefix unit-check/,$(SUBDIRS_CHECK)): unit-check/%:
	@echo "+++ unit tests in $* +++"; t0=$$(date +%s); \
	if $(MAKE) -C $* check; then r=passed; else r=FAILED; echo "$*" >>.unit-failed; fi; \
	tf=$$(mktemp); times >$$tf; \
	cpu=$$(tail -n 1 $$tf | awk '{ for (i = 1; i <= 2; i++) { split($$i, p, /[ms]/); \
		t[i] = p[1] * 60 + p[2] } printf "CPU %.0f s user, %.0f s system", t[1], t[2] }'); \
	rm -f $$tf; \
	echo "+++ $*: $$r in $$(($$(date +%s) - t0)) s ($$cpu) +++"

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

# sandbox.mk
#	Sources of the sandboxing half of tmebox-cc (IR checks and TME-Box
#	instrumentation), included by the tmebox-cc Makefile with
#	`-include sandbox.mk` and compiled into tmebox-cc.  Defines variables
#	only (no rules), so it never changes the including Makefile's default
#	target.  The IR tests live in tests/ir/ (make -C tests/ir check).

SANDBOX_SRCS = \
	cc_sandbox.c \
	cc_ir.c \
	cc_sandbox_opt.c \
	cc_sandbox_verify.c \
	cc_check.c \
	cc_instr_byval.c \
	cc_instr_memintr.c \
	cc_instr_math.c \
	cc_instr_alloca.c \
	cc_instr_fnptr.c \
	cc_instr_globals.c \
	cc_instr_mem.c \
	cc_instr_trap.c \
	cc_instr_switch.c \
	cc_instr_cgforms.c \
	cc_instr_host.c \
	cc_mcode_emit.c \
	cc_mcode_check.c

SANDBOX_HDRS = cc_sandbox.h cc_ir.h cc_mcode.h ../abi/tmebox_abi.h

# The stand-alone test driver (not part of tmebox-cc).
SANDBOX_TEST_SRCS = cc_sandbox_test_main.c

# extension/runtime/runtime.mk
#	Sources and objects of the tmebox sandbox runtime, relative to the
#	repository root.  Included by the top-level PGXS Makefile
#	(OBJS += $(RUNTIME_OBJS)) and by extension/runtime/Makefile.
#	Link with $(RUNTIME_LIBS).

RUNTIME_SRCS = \
	extension/runtime/rt_call.c \
	extension/runtime/rt_divfault.c \
	extension/runtime/rt_elf.c \
	extension/runtime/rt_enter.c \
	extension/runtime/rt_fault.c \
	extension/runtime/rt_hostcall.c \
	extension/runtime/rt_hostmem.c \
	extension/runtime/rt_hostthunk.c \
	extension/runtime/rt_interrupt.c \
	extension/runtime/rt_keyid.c \
	extension/runtime/rt_keyid_emulated.c \
	extension/runtime/rt_keyid_tmemk.c \
	extension/runtime/rt_load.c \
	extension/runtime/rt_meta.c \
	extension/runtime/rt_module.c \
	extension/runtime/rt_struct.c \
	extension/runtime/rt_dynrow.c \
	extension/runtime/rt_signal.c \
	extension/runtime/rt_stack.c \
	extension/runtime/rt_view.c

RUNTIME_OBJS = $(RUNTIME_SRCS:.c=.o)

RUNTIME_LIBS = $(shell pkg-config --libs libffi) -lm -lZydis -lkeyutils
RUNTIME_CPPFLAGS = $(shell pkg-config --cflags libffi)

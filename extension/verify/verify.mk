# extension/verify/verify.mk
#	Sources of the tmebox verifier (library part), relative to the
#	repository root.  Included by the top-level PGXS Makefile, the runtime's
#	Makefile and the compiler's Makefile.  Link with $(VERIFY_LIBS).

VERIFY_SRCS = \
	extension/verify/tvf_elf.c \
	extension/verify/tvf_flow.c \
	extension/verify/tvf_insn.c

VERIFY_OBJS = $(VERIFY_SRCS:.c=.o)
VERIFY_LIBS = -lZydis

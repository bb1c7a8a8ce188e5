# pl.mk — objects of the tmebox language (extension/pl), included by the
# top-level Makefile: OBJS += $(PL_OBJS)
PL_OBJS = \
	extension/pl/pl_bind.o \
	extension/pl/pl_body.o \
	extension/pl/pl_bytes.o \
	extension/pl/pl_cache.o \
	extension/pl/pl_call.o \
	extension/pl/pl_callbacks.o \
	extension/pl/pl_handler.o \
	extension/pl/pl_init.o \
	extension/pl/pl_invoke.o \
	extension/pl/pl_numeric.o \
	extension/pl/pl_record.o \
	extension/pl/pl_row.o \
	extension/pl/pl_session.o \
	extension/pl/pl_shape.o \
	extension/pl/pl_spi.o \
	extension/pl/pl_spimem.o \
	extension/pl/pl_srf.o \
	extension/pl/pl_struct.o \
	extension/pl/pl_tenantmem.o \
	extension/pl/pl_trigger.o \
	extension/pl/pl_types.o \
	extension/pl/pl_views.o

/*-------------------------------------------------------------------------
 *
 * tvf_flow.c
 *		tvf_verify_object: recursive-descent decoding of a module's text
 *		from its roots, with a static %rsp depth per function.
 *
 * Pass 1 decodes every instruction reachable from the roots (defined
 * STT_FUNC symbols) through fall-through, direct jumps and direct calls,
 * applies the per-instruction rules (tvf_insn.c) and collects the function
 * entries: the roots and every direct-call target.  An instruction that
 * starts inside another one is refused (overlapping decodings), so a jump
 * can only land on an instruction boundary.
 *
 * Pass 2 walks each function from its entry with depth 0 (the return
 * address at 0(%rsp)): a direct jump, conditional jump or fall-through to
 * a function entry is a tail call and needs depth 0; any other target
 * belongs to the same function (functions are disjoint: an instruction
 * walked by one function cannot be reached by another, which also keeps
 * the work linear in the text size) and must be reached with one depth
 * only; `ret` needs
 * depth 0; the depth stays within [0, TVF_MAX_FRAME]; every %rsp-relative
 * operand lies inside the frame [0, depth) above %rsp, or (loads only) in
 * the incoming stack-argument area above the return address.
 *
 * Pass 2 also records the call graph: per function its deepest depth
 * (with the return address a host call pushes), and an edge per direct
 * call (cost: the depth at the call + 8 for its return address) and per
 * tail call (cost 0; also falling through into an entry).  Pass 3
 * (stack_bound) folds it into the native-stack bound of tvf_stats.max_stack
 * with an iterative depth-first search, linear in functions plus edges:
 * the bound of a function reaching a cycle is unbounded.
 *
 * Invariants:
 *	- Every byte decoded lies in the executable segment's file bytes; a
 *	  path that runs off its end, or a target outside it, is refused.
 *	- All memory is freed on every path; no global state.
 *	- No C recursion: the depth-first search keeps its own stack, so a
 *	  hostile object's deep call chain cannot exhaust the C stack.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tvf_internal.h"

#define M_START		0x01		/* an instruction starts here */
#define M_INSIDE	0x02		/* inside an instruction, not its start */
#define M_ENTRY		0x04		/* function entry */
#define M_SEEN		0x08		/* pass 1 decoded and checked it */

typedef struct tvf_item
{
	uint64_t	addr;
	int64_t		depth;			/* pass 2 */
	uint64_t	func;			/* pass 1: entry it was reached from */
} tvf_item;

/* A direct call or tail call of function `to` (pass 2, for pass 3). */
typedef struct tvf_edge
{
	uint32_t	to;				/* function index */
	uint32_t	cost;			/* bytes below the caller's return address
								 * where the callee's return address
								 * lies: depth + 8 for a call, 0 for a
								 * tail call */
} tvf_edge;

typedef struct tvf_ctx
{
	const tvf_obj *o;
	ZydisDecoder dec;
	ZydisFormatter fmt;
	uint64_t	n;				/* text size */
	uint8_t    *mark;			/* per text byte */
	uint32_t   *stamp;			/* pass 2: function index + 1 */
	int32_t    *depth;			/* pass 2: depth at an instruction start */
	uint64_t   *entries;		/* function entries, discovery order */
	uint32_t	nentries;
	uint32_t	capentries;
	tvf_item   *work;
	size_t		nwork;
	size_t		capwork;
	uint32_t   *fdepth;			/* pass 2: per function, deepest bytes
								 * below its return address it touches
								 * itself (frame, host-call slot) */
	size_t	   *fedge;			/* pass 2: per function, its first edge;
								 * fedge[nentries] = nedges */
	tvf_edge   *edges;			/* pass 2: grouped by caller, in order */
	size_t		nedges;
	size_t		capedges;
	const uint64_t *qaddr;		/* tvf_verify_roots: the bound of the
								 * function at qaddr[i] into qbound[i] */
	uint32_t   *qbound;
	size_t		nq;
	tvf_stats	stats;
	char	   *err;
	size_t		errlen;
} tvf_ctx;

static int
oom(tvf_ctx *c)
{
	tvf_errf(c->err, c->errlen, "out of memory");
	return -1;
}

static int
push_work(tvf_ctx *c, uint64_t addr, int64_t depth, uint64_t func)
{
	if (c->nwork == c->capwork)
	{
		size_t		cap = c->capwork ? c->capwork * 2 : 256;
		tvf_item   *w = realloc(c->work, cap * sizeof(*w));

		if (w == NULL)
			return oom(c);
		c->work = w;
		c->capwork = cap;
	}
	c->work[c->nwork].addr = addr;
	c->work[c->nwork].depth = depth;
	c->work[c->nwork].func = func;
	c->nwork++;
	return 0;
}

static int
add_entry(tvf_ctx *c, uint64_t addr)
{
	uint64_t	i = addr - c->o->text_lo;

	if (c->mark[i] & M_ENTRY)
		return 0;
	if (c->nentries == c->capentries)
	{
		uint32_t	cap = c->capentries ? c->capentries * 2 : 64;
		uint64_t   *e = realloc(c->entries, cap * sizeof(*e));

		if (e == NULL)
			return oom(c);
		c->entries = e;
		c->capentries = cap;
	}
	c->mark[i] |= M_ENTRY;
	c->entries[c->nentries++] = addr;
	return push_work(c, addr, 0, addr);
}

/*
 * Edge from function f, being walked, to the function entered at addr
 * (pass 2: the entries' stamps hold their index + 1).  A jump back to f's
 * own entry at depth 0 is a loop, not a call: no edge (`for (;;)` whose
 * body starts at the entry).
 */
static int
add_edge(tvf_ctx *c, uint32_t f, uint64_t addr, int64_t cost)
{
	uint32_t	to = c->stamp[addr - c->o->text_lo] - 1;

	if (to == f && cost == 0)
		return 0;
	if (c->nedges == c->capedges)
	{
		size_t		cap = c->capedges ? c->capedges * 2 : 64;
		tvf_edge   *e = realloc(c->edges, cap * sizeof(*e));

		if (e == NULL)
			return oom(c);
		c->edges = e;
		c->capedges = cap;
	}
	c->edges[c->nedges].to = to;
	c->edges[c->nedges].cost = (uint32_t) cost;	/* <= TVF_MAX_FRAME + 8 */
	c->nedges++;
	return 0;
}

/* Name of the function entered at addr, for messages. */
static const char *
func_name(const tvf_ctx *c, uint64_t entry)
{
	for (uint32_t i = 0; i < c->o->nroots; i++)
		if (c->o->roots[i].addr == entry)
			return c->o->roots[i].name;
	return NULL;
}

/* Report rule `why` at instruction addr of the function entered at entry. */
static int
insn_error(tvf_ctx *c, uint64_t entry, uint64_t addr, const ZydisDecodedInstruction *in,
		   const ZydisDecodedOperand *ops, const char *why)
{
	char		text[160];
	char		fn[160];
	const char *name = func_name(c, entry);

	text[0] = '\0';
	if (in == NULL ||
		!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&c->fmt, in, ops,
													  in->operand_count_visible,
													  text, sizeof(text), addr, NULL)))
		snprintf(text, sizeof(text), "?");
	if (name != NULL)
		snprintf(fn, sizeof(fn), "%.100s", name);
	else
		snprintf(fn, sizeof(fn), "function at 0x%llx", (unsigned long long) entry);
	tvf_errf(c->err, c->errlen, "verifier: %s: at 0x%llx in %s: %s",
			 why, (unsigned long long) addr, fn, text);
	return -1;
}

/* Decode the instruction at addr (inside text).  0, or -1 with a message. */
static int
decode(tvf_ctx *c, uint64_t entry, uint64_t addr, ZydisDecodedInstruction *in,
	   ZydisDecodedOperand *ops)
{
	uint64_t	i = addr - c->o->text_lo;

	if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&c->dec, c->o->text + i, c->n - i, in, ops)))
		return insn_error(c, entry, addr, NULL, NULL,
						  c->n - i < 15 ? "undecodable or truncated instruction at the end of the text"
						  : "undecodable bytes");
	return 0;
}

static bool
in_text(const tvf_ctx *c, uint64_t a)
{
	return a >= c->o->text_lo && a < c->o->text_hi;
}

/* ---- pass 1 ---- */

static int
pass1(tvf_ctx *c)
{
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];

	for (uint32_t r = 0; r < c->o->nroots; r++)
		if (add_entry(c, c->o->roots[r].addr) < 0)
			return -1;
	while (c->nwork > 0)
	{
		tvf_item	it = c->work[--c->nwork];
		uint64_t	a = it.addr;
		uint64_t	fn = it.func;
		uint64_t	i = a - c->o->text_lo;
		tvf_insn	ti;
		const char *why;

		if (c->mark[i] & M_SEEN)
			continue;
		if (c->mark[i] & M_INSIDE)
			return insn_error(c, fn, a, NULL, NULL,
							  "jump or call into the middle of an instruction (overlapping decoding)");
		if (decode(c, fn, a, &in, ops) < 0)
			return -1;
		for (uint64_t k = 1; k < in.length; k++)
		{
			if (c->mark[i + k] & M_START)
				return insn_error(c, fn, a, &in, ops,
								  "instruction overlaps another instruction's start (overlapping decoding)");
			c->mark[i + k] |= M_INSIDE;
		}
		c->mark[i] |= M_START | M_SEEN;
		c->stats.ninsns++;
		if ((why = tvf_insn_check(c->o, a, &in, ops, &ti)) != NULL)
			return insn_error(c, fn, a, &in, ops, why);
		if (ti.kind == TVF_JMP || ti.kind == TVF_JCC || ti.kind == TVF_CALL)
		{
			if (!in_text(c, ti.target))
				return insn_error(c, fn, a, &in, ops,
								  ti.kind == TVF_CALL ? "call to an address outside the module's text"
								  : "jump to an address outside the module's text");
			if (ti.kind == TVF_CALL)
			{
				if (add_entry(c, ti.target) < 0)
					return -1;
			}
			else if (push_work(c, ti.target, 0, fn) < 0)
				return -1;
		}
		if (ti.kind == TVF_HOSTCALL)
			c->stats.nhostcalls++;
		if (ti.kind != TVF_JMP && ti.kind != TVF_RET && ti.kind != TVF_TRAP)
		{
			if (!in_text(c, a + in.length))
				return insn_error(c, fn, a, &in, ops, "execution runs off the end of the text");
			if (push_work(c, a + in.length, 0, fn) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- pass 2 ---- */

/* Successor s of the current function f at depth d. */
static int
reach(tvf_ctx *c, uint32_t f, uint64_t s, int64_t d, uint64_t from,
	  const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops)
{
	uint64_t	i = s - c->o->text_lo;
	char		why[160];

	if (c->mark[i] & M_ENTRY)
	{
		/* falling through into another function: a tail call */
		if (d != 0)
		{
			snprintf(why, sizeof(why),
					 "execution falls through into the function at 0x%llx at stack depth %lld (must be 0; a call that does not return needs a trap after it)",
					 (unsigned long long) s, (long long) d);
			return insn_error(c, c->entries[f], from, in, ops, why);
		}
		return add_edge(c, f, s, 0);
	}
	if (c->stamp[i] != 0 && c->stamp[i] != f + 1)
	{
		snprintf(why, sizeof(why),
				 "jump into the code of another function (0x%llx belongs to the function at 0x%llx)",
				 (unsigned long long) s,
				 (unsigned long long) c->entries[c->stamp[i] - 1]);
		return insn_error(c, c->entries[f], from, in, ops, why);
	}
	if (c->stamp[i] == f + 1)
	{
		if (c->depth[i] != d)
		{
			snprintf(why, sizeof(why),
					 "inconsistent stack depth at a join (%d and %lld bytes at 0x%llx)",
					 c->depth[i], (long long) d, (unsigned long long) s);
			return insn_error(c, c->entries[f], from, in, ops, why);
		}
		return 0;
	}
	c->stamp[i] = f + 1;
	c->depth[i] = (int32_t) d;
	return push_work(c, s, d, 0);
}

static int
pass2_function(tvf_ctx *c, uint32_t f)
{
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	uint64_t	entry = c->entries[f];
	char		why[160];

	c->nwork = 0;
	c->fedge[f] = c->nedges;
	c->fdepth[f] = 0;
	c->stamp[entry - c->o->text_lo] = f + 1;
	c->depth[entry - c->o->text_lo] = 0;
	if (push_work(c, entry, 0, entry) < 0)
		return -1;
	while (c->nwork > 0)
	{
		tvf_item	it = c->work[--c->nwork];
		uint64_t	a = it.addr;
		int64_t		d = it.depth;
		int64_t		nd;
		tvf_insn	ti;
		const char *rule;

		if (decode(c, entry, a, &in, ops) < 0)
			return -1;
		if ((rule = tvf_insn_check(c->o, a, &in, ops, &ti)) != NULL)
			return insn_error(c, entry, a, &in, ops, rule);	/* pass 1 saw it */

		/* %rsp-relative operands, at the depth before the instruction */
		for (int k = 0; k < ti.nstack; k++)
		{
			int64_t		lo = ti.stack[k].disp;
			int64_t		hi = lo + ti.stack[k].size;
			bool		frame = lo >= 0 && hi <= d;
			bool		args = !ti.stack[k].write && lo >= d + 8 &&
				hi <= d + 8 + (int64_t) TVF_MAX_STACK_ARGS;

			if (!frame && !args)
			{
				snprintf(why, sizeof(why),
						 "%%rsp-relative %s outside the frame (bytes %lld..%lld from %%rsp, frame %lld bytes%s)",
						 ti.stack[k].write ? "store" : "load", (long long) lo,
						 (long long) hi, (long long) d,
						 ti.stack[k].write ? "" : ", stack arguments up to 256 bytes above the return address");
				return insn_error(c, entry, a, &in, ops, why);
			}
		}
		nd = d + ti.grow;
		if (nd < 0)
			return insn_error(c, entry, a, &in, ops,
							  "stack pointer raised above the return address");
		if (nd > (int64_t) TVF_MAX_FRAME)
			return insn_error(c, entry, a, &in, ops, "stack frame larger than 60 KiB");
		if ((uint64_t) nd > c->stats.max_frame)
			c->stats.max_frame = (uint32_t) nd;
		if ((uint64_t) nd > c->fdepth[f])
			c->fdepth[f] = (uint32_t) nd;

		switch (ti.kind)
		{
			case TVF_RET:
				if (d != 0)
				{
					snprintf(why, sizeof(why), "ret at stack depth %lld (must be 0)", (long long) d);
					return insn_error(c, entry, a, &in, ops, why);
				}
				continue;
			case TVF_TRAP:
				continue;
			case TVF_CALL:
				/* the return address at depth d, the callee below it */
				if (add_edge(c, f, ti.target, d + 8) < 0)
					return -1;
				break;
			case TVF_HOSTCALL:
				/* the thunk switches stacks: only the return address */
				if ((uint64_t) d + 8 > c->fdepth[f])
					c->fdepth[f] = (uint32_t) (d + 8);
				break;
			case TVF_JMP:
			case TVF_JCC:
				if (c->mark[ti.target - c->o->text_lo] & M_ENTRY)
				{
					if (nd != 0)
					{
						snprintf(why, sizeof(why), "tail call at stack depth %lld (must be 0)",
								 (long long) nd);
						return insn_error(c, entry, a, &in, ops, why);
					}
					if (add_edge(c, f, ti.target, 0) < 0)
						return -1;
				}
				else if (reach(c, f, ti.target, nd, a, &in, ops) < 0)
					return -1;
				if (ti.kind == TVF_JMP)
					continue;
				break;
			default:
				break;
		}
		if (reach(c, f, a + in.length, nd, a, &in, ops) < 0)
			return -1;
	}
	return 0;
}

/* ---- pass 3 ---- */

#define TVF_UNBOUNDED	UINT64_MAX

/* Function f calls or tail-calls a callee of bound b at cost `cost`. */
static void
fold(uint64_t *bound, uint32_t f, uint32_t cost, uint64_t b)
{
	if (bound[f] == TVF_UNBOUNDED)
		return;
	if (b == TVF_UNBOUNDED)
		bound[f] = TVF_UNBOUNDED;
	else if (cost + b > bound[f])
		bound[f] = cost + b;
}

/*
 * The native-stack bound of the roots (tvf_stats.max_stack): a depth-first
 * search of the call graph with an explicit stack, bounds computed in
 * postorder.  An edge to a function still on the search stack closes a
 * cycle: its caller, and every function reaching it, is unbounded (at its
 * postorder every callee is finished or on the stack, so the flag is
 * final).  Every function is pushed once and every edge followed once.  A
 * bound is at most (functions) * (TVF_MAX_FRAME + 8): no overflow in 64
 * bits.  A cycle of tail calls alone does not grow the stack but counts
 * as recursion too (tmebox-cc emits no tail calls), except a function's
 * jump to its own entry (add_edge).
 */
static int
stack_bound(tvf_ctx *c)
{
	uint32_t	n = c->nentries;
	uint64_t   *bound = malloc(((size_t) n + 1) * sizeof(uint64_t));
	size_t	   *pos = malloc(((size_t) n + 1) * sizeof(size_t));
	uint32_t   *stk = malloc(((size_t) n + 1) * sizeof(uint32_t));
	uint8_t    *state = calloc((size_t) n + 1, 1);	/* 0 new, 1 on the stack, 2 done */
	uint64_t	max = 0;
	int			rc = 0;

	if (bound == NULL || pos == NULL || stk == NULL || state == NULL)
	{
		free(bound);
		free(pos);
		free(stk);
		free(state);
		return oom(c);
	}
	for (uint32_t r = 0; r < c->o->nroots; r++)
	{
		uint32_t	root = c->stamp[c->o->roots[r].addr - c->o->text_lo] - 1;
		uint32_t	sp = 0;

		if (state[root] == 0)
		{
			state[root] = 1;
			bound[root] = c->fdepth[root];
			pos[root] = c->fedge[root];
			stk[sp++] = root;
		}
		while (sp > 0)
		{
			uint32_t	f = stk[sp - 1];

			if (pos[f] < c->fedge[f + 1])
			{
				const tvf_edge *e = &c->edges[pos[f]++];
				uint32_t	g = e->to;

				if (state[g] == 0)
				{
					state[g] = 1;
					bound[g] = c->fdepth[g];
					pos[g] = c->fedge[g];
					stk[sp++] = g;
				}
				else if (state[g] == 1)
				{
					bound[f] = TVF_UNBOUNDED;	/* a cycle */
					if (c->stats.stack_cycle == 0)
						c->stats.stack_cycle = c->entries[g];
				}
				else
					fold(bound, f, e->cost, bound[g]);
				continue;
			}
			/* f is done: fold it into the caller that pushed it */
			state[f] = 2;
			if (--sp > 0)
			{
				uint32_t	p = stk[sp - 1];

				fold(bound, p, c->edges[pos[p] - 1].cost, bound[f]);
			}
		}
		if (bound[root] > max)
			max = bound[root];
	}
	c->stats.max_stack = max >= TVF_STACK_UNBOUNDED ? TVF_STACK_UNBOUNDED : (uint32_t) max;
	/* every entry is reached from a root: its bound is final */
	for (size_t q = 0; q < c->nq; q++)
	{
		uint64_t	a = c->qaddr[q];
		uint64_t	b;
		uint32_t	fi;

		if (!in_text(c, a) || !(c->mark[a - c->o->text_lo] & M_ENTRY))
		{
			tvf_errf(c->err, c->errlen, "verifier: no function at 0x%llx",
					 (unsigned long long) a);
			rc = -1;
			break;
		}
		fi = c->stamp[a - c->o->text_lo] - 1;
		b = state[fi] == 2 ? bound[fi] : TVF_UNBOUNDED;	/* always 2 */
		c->qbound[q] = b >= TVF_STACK_UNBOUNDED ? TVF_STACK_UNBOUNDED : (uint32_t) b;
	}
	free(bound);
	free(pos);
	free(stk);
	free(state);
	return rc;
}

/* tvf_verify_object_ex, and the bounds of the functions qaddr[0, nq) */
static int
verify(const uint8_t *so, size_t len, const uint64_t *qaddr, uint32_t *qbound,
	   size_t nq, tvf_stats *stats, char *err, size_t errlen)
{
	tvf_obj		o;
	tvf_ctx		c;
	int			rc = -1;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (tvf_elf_parse(so, len, &o, err, errlen) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.qaddr = qaddr;
	c.qbound = qbound;
	c.nq = nq;
	c.o = &o;
	c.err = err;
	c.errlen = errlen;
	c.n = o.text_hi - o.text_lo;
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&c.dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)) ||
		!ZYAN_SUCCESS(ZydisFormatterInit(&c.fmt, ZYDIS_FORMATTER_STYLE_ATT)) ||
		!ZYAN_SUCCESS(ZydisFormatterSetProperty(&c.fmt, ZYDIS_FORMATTER_PROP_FORCE_RELATIVE_RIPREL,
												ZYAN_TRUE)) ||
		!ZYAN_SUCCESS(ZydisFormatterSetProperty(&c.fmt, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE,
												ZYAN_FALSE)))
	{
		tvf_errf(err, errlen, "verifier: cannot initialise the x86-64 decoder");
		goto done;
	}
	c.mark = calloc(c.n, 1);
	c.stamp = calloc(c.n, sizeof(uint32_t));
	c.depth = malloc(c.n * sizeof(int32_t));
	if (c.mark == NULL || c.stamp == NULL || c.depth == NULL)
	{
		oom(&c);
		goto done;
	}
	if (pass1(&c) < 0)
		goto done;
	c.fdepth = malloc(((size_t) c.nentries + 1) * sizeof(uint32_t));
	c.fedge = malloc(((size_t) c.nentries + 1) * sizeof(size_t));
	if (c.fdepth == NULL || c.fedge == NULL)
	{
		oom(&c);
		goto done;
	}
	/* every entry's stamp names it before any walk reaches a call of it */
	for (uint32_t f = 0; f < c.nentries; f++)
		c.stamp[c.entries[f] - o.text_lo] = f + 1;
	for (uint32_t f = 0; f < c.nentries; f++)
		if (pass2_function(&c, f) < 0)
			goto done;
	c.fedge[c.nentries] = c.nedges;
	if (stack_bound(&c) < 0)
		goto done;
	c.stats.nroots = o.nroots;
	c.stats.nfunctions = c.nentries;
	if (stats != NULL)
		*stats = c.stats;
	rc = 0;

done:
	free(c.mark);
	free(c.stamp);
	free(c.depth);
	free(c.entries);
	free(c.work);
	free(c.fdepth);
	free(c.fedge);
	free(c.edges);
	tvf_obj_free(&o);
	return rc;
}

int
tvf_verify_object_ex(const uint8_t *so, size_t len, tvf_stats *stats,
					 char *err, size_t errlen)
{
	return verify(so, len, NULL, NULL, 0, stats, err, errlen);
}

int
tvf_verify_roots(const uint8_t *so, size_t len, const uint64_t *addrs, uint32_t *bounds,
				 size_t n, tvf_stats *stats, char *err, size_t errlen)
{
	return verify(so, len, addrs, bounds, n, stats, err, errlen);
}

int
tvf_verify_object(const uint8_t *so, size_t len, char *err, size_t errlen)
{
	return tvf_verify_object_ex(so, len, NULL, err, errlen);
}

# stack.s - hand-written modules with a known native-stack bound
# (tvf_stats.max_stack: bytes below a root's return address that any call
# can touch).  Each `case N` is one module, assembled with
# --defsym CASE=N; tests/run-tests.sh reads the expected bound from the
# `# case N: max_stack B` lines and checks it with test_verify --max-stack.
# Every module is conforming (the verifier accepts it); the depth at an
# instruction is noted as [d].
#
# case 1: max_stack 40
#	a leaf: push (8) + sub $32 = its frame.
# case 2: max_stack 112
#	a chain f -> g -> h: f calls g at [8], g calls h at [24], h's frame is
#	64: 8 + 8 + (24 + 8 + 64).
# case 3: max_stack 272
#	a call at depth 256 of a leaf with an 8-byte frame: 256 + 8 + 8.
# case 4: max_stack 256
#	the caller's own frame (256, after the call) is deeper than the call
#	path (8 + 8 + 8).
# case 5: max_stack unbounded
#	direct recursion.
# case 6: max_stack unbounded
#	mutual recursion through a dispatcher (a switch of direct calls, as
#	tmebox-cc dispatches function pointers): f -> disp -> f; a second,
#	bounded root does not hide it.
# case 7: max_stack 8
#	a host call at depth 0: only its return address (the runtime's thunk
#	switches to the host's stack).
# case 8: max_stack 32
#	a host call at depth 24.
# case 9: max_stack unbounded
#	recursion through a tail call: f calls g, g jumps to f at depth 0.
# case 10: max_stack unbounded
#	recursion through a fall-through into an entry: g runs into f.
# case 11: max_stack unbounded
#	recursion through a conditional tail call.
# case 12: max_stack 120
#	a diamond: f calls g at [8] (frame 104) and h at [40] (frame 16), a
#	second root calls h at [0]: max(8 + 8 + 104, 40 + 8 + 16, 8 + 16).
# case 13: max_stack 56
#	a tail call at depth 0 to a root deeper than the caller: the bound of
#	the tail-called function (8 + 8 + 40), not the caller's 16.
# case 14: max_stack 16
#	a loop whose head is the function's entry (a jump to its own entry
#	at depth 0) is no recursion.

	.text
	.globl	__tmebox_export_f
	.type	__tmebox_export_f,@function
	.p2align 4
__tmebox_export_f:
.Lf:						# local alias: a call of a global symbol goes through the PLT

.if CASE == 1
	pushq	%rbx
	subq	$32, %rsp			# [40]
	movq	%rdi, 24(%rsp)
	addq	$32, %rsp
	popq	%rbx
	retq
.endif

.if CASE == 2
	pushq	%rbx				# [8]
	callq	g
	popq	%rbx
	retq
g:
	subq	$24, %rsp			# [24]
	callq	h
	addq	$24, %rsp
	retq
h:
	subq	$64, %rsp			# [64]
	movq	%rdi, 56(%rsp)
	addq	$64, %rsp
	retq
.endif

.if CASE == 3
	subq	$256, %rsp			# [256]
	callq	g
	addq	$256, %rsp
	retq
g:
	pushq	%rbp				# [8]
	popq	%rbp
	retq
.endif

.if CASE == 4
	pushq	%rbx				# [8]
	callq	g
	subq	$248, %rsp			# [256]
	movq	%rax, (%rsp)
	addq	$248, %rsp
	popq	%rbx
	retq
g:
	pushq	%rbp				# [8]
	popq	%rbp
	retq
.endif

.if CASE == 5
	pushq	%rbx				# [8]
	testl	%edi, %edi
	je	1f
	decl	%edi
	callq	.Lf
1:	popq	%rbx
	retq
.endif

.if CASE == 6
	pushq	%rbx				# [8]
	movl	$1, %edi
	callq	disp
	popq	%rbx
	retq
disp:
	pushq	%rax				# [8]
	cmpl	$1, %edi
	je	1f
	callq	leaf
	popq	%rcx
	retq
1:	callq	.Lf
	popq	%rcx
	retq
leaf:
	xorl	%eax, %eax
	retq
	.globl	__tmebox_export_bounded
	.type	__tmebox_export_bounded,@function
__tmebox_export_bounded:
	subq	$64, %rsp
	addq	$64, %rsp
	retq
.endif

.if CASE == 7
	callq	*.Lhosttab+8(%rip)		# [0]
	retq
.endif

.if CASE == 8
	subq	$24, %rsp			# [24]
	callq	*.Lhosttab+8(%rip)
	addq	$24, %rsp
	retq
.endif

.if CASE == 9
	pushq	%rbx				# [8]
	callq	g
	popq	%rbx
	retq
g:
	jmp	.Lf				# tail call at [0]
.endif

.if CASE == 10
	pushq	%rbx				# [8]
	callq	g
	popq	%rbx
	retq
g:
	nop					# falls through into f2 at [0]
	.globl	__tmebox_export_f2
	.type	__tmebox_export_f2,@function
__tmebox_export_f2:
	pushq	%rbx				# [8]
	callq	g
	popq	%rbx
	retq
.endif

.if CASE == 11
	pushq	%rbx				# [8]
	callq	g
	popq	%rbx
	retq
g:
	testl	%edi, %edi
	jne	.Lf				# conditional tail call at [0]
	retq
.endif

.if CASE == 12
	pushq	%rbx				# [8]
	callq	g
	subq	$32, %rsp			# [40]
	callq	h
	addq	$32, %rsp
	popq	%rbx
	retq
g:
	subq	$104, %rsp			# [104]
	addq	$104, %rsp
	retq
h:
	subq	$16, %rsp			# [16]
	addq	$16, %rsp
	retq
	.globl	__tmebox_export_r2
	.type	__tmebox_export_r2,@function
__tmebox_export_r2:
	callq	h				# [0]
	retq
.endif

.if CASE == 13
	subq	$16, %rsp			# [16]
	addq	$16, %rsp
	jmp	.Ldeep				# tail call at [0]
	.globl	__tmebox_export_deep
	.type	__tmebox_export_deep,@function
__tmebox_export_deep:
.Ldeep:
	pushq	%rbx				# [8]
	callq	g
	popq	%rbx
	retq
g:
	subq	$40, %rsp			# [40]
	addq	$40, %rsp
	retq
.endif

.if CASE == 14
	decl	%edi				# [0]
	jne	.Lf
	subq	$16, %rsp			# [16]
	addq	$16, %rsp
	retq
.endif

	.size	__tmebox_export_f, .-__tmebox_export_f

	.bss
	.globl	__tmebox_hosttab
	.type	__tmebox_hosttab,@object
	.p2align 3
__tmebox_hosttab:
.Lhosttab:
	.zero	64
	.size	__tmebox_hosttab, 64

	.section .note.GNU-stack,"",@progbits

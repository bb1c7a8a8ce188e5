# EXPECT: ok
# What tmebox-cc emits: %gs operands with 32-bit registers or addr32, stack
# and RIP-relative host accesses, multi-byte NOPs (%cs prefix), traps.
	.text
f:
	movl	%gs:4(%esi,%edx,4), %eax
	addr32 movl %gs:-16, %eax
	lock
	cmpxchgl	%ecx, %gs:(%eax)
	movq	8(%rsp), %rax
	movq	__x@GOTPCREL(%rip), %rax
	callq	*8(%rax)
	nopw	%cs:0(%rax,%rax)
	ud2
	int3
	rdtsc
	retq

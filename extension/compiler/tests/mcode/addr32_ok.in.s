# EXPECT: ok
# Assembly as LLVM prints it: every %gs operand gets 32-bit address size;
# directives, labels, comments and host accesses are left alone.
	.text
	.globl	f
f:                                      # @f gs: in a comment
	movl	%gs:1188928(%r8), %eax          # 4-byte %gs:(%rax)
	movzbl	%gs:(%rdi), %r10d
	movl	%gs:-4(%rax,%r15,4), %ecx
	movaps	%xmm1, %gs:(,%rcx,8)
	movb	$1, %gs:1254480
	movl	$1, %gs:-8
	lock
	cmpxchgq	%rcx, %gs:(%rsp)
	movq	__tmebox_intr@GOTPCREL(%rip), %rax
	cmpl	$0, (%r14)
	movl	%esi, %edi
.LBB0_1:
	.section	.rodata
	.ascii	"%gs:(%rax) # \t movl %gs:8"

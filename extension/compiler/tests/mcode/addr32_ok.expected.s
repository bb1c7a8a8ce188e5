# EXPECT: ok
# Assembly as LLVM prints it: every %gs operand gets 32-bit address size;
# directives, labels, comments and host accesses are left alone.
	.text
	.globl	f
f:                                      # @f gs: in a comment
	movl	%gs:1188928(%r8d), %eax          # 4-byte %gs:(%rax)
	movzbl	%gs:(%edi), %r10d
	movl	%gs:-4(%eax,%r15d,4), %ecx
	movaps	%xmm1, %gs:(,%ecx,8)
	addr32 movb	$1, %gs:1254480
	addr32 movl	$1, %gs:-8
	lock
	cmpxchgq	%rcx, %gs:(%esp)
	movq	__tmebox_intr@GOTPCREL(%rip), %rax
	cmpl	$0, (%r14)
	movl	%esi, %edi
.LBB0_1:
	.section	.rodata
	.ascii	"%gs:(%rax) # \t movl %gs:8"

# accept2.s - more conforming forms: the largest allowed frame (60 KiB),
# a loop, joins reached with the same depth, a conditional tail call,
# the last byte of the stack-argument area, %rsp adjusted by add of a
# negative constant and by lea, SSE4.2 on the view, cmpxchg16b, int3 as a
# path end.  The verifier must accept it.
	.text
	.globl	__tmebox_export_big
	.type	__tmebox_export_big,@function
	.p2align 4
__tmebox_export_big:
	pushq	%r12
	subq	$61432, %rsp			# depth 61440 = 60 KiB exactly
	movq	%rdi, (%rsp)
	movq	%rsi, 61432(%rsp)		# last 8 bytes of the frame
	movq	61696(%rsp), %rax		# last 8 bytes of the 256-byte argument area
	xorl	%ecx, %ecx
.Lloop:
	movl	%gs:(%edi,%ecx,4), %edx
	addl	%edx, %eax
	incl	%ecx
	cmpl	$16, %ecx
	jb	.Lloop
	testl	%eax, %eax
	js	.Lneg
	movq	(%rsp), %rdi
	jmp	.Ljoin
.Lneg:
	movq	8(%rsp), %rdi
.Ljoin:
	addq	$61432, %rsp
	popq	%r12
	testl	%eax, %eax
	jne	.Lsse				# conditional tail call at depth 0
	retq
	.size	__tmebox_export_big, .-__tmebox_export_big

	.globl	__tmebox_export_sse
	.type	__tmebox_export_sse,@function
	.p2align 4
__tmebox_export_sse:
.Lsse:
	addq	$-128, %rsp			# depth 128
	movdqu	%gs:(%edi), %xmm0
	pshufb	%xmm0, %xmm1
	ptest	%xmm1, %xmm0
	pcmpistri $0x0c, %gs:16(%edi), %xmm0
	movups	%xmm0, 16(%rsp)
	crc32l	%eax, %edx
	popcntq	%rdx, %rax
	sete	%cl
	cmovnel	%edx, %eax
	lock cmpxchg16b %gs:(%esi)
	leaq	-16(%rsp), %rsp			# depth 144
	movq	%rax, 136(%rsp)
	leaq	16(%rsp), %rsp			# depth 128
	subq	$-128, %rsp			# depth 0
	cmpl	$7, %eax
	je	.Ltrap
	retq
.Ltrap:
	int3
	.size	__tmebox_export_sse, .-__tmebox_export_sse

	.bss
	.globl	__tmebox_hosttab
	.type	__tmebox_hosttab,@object
	.p2align 3
__tmebox_hosttab:
	.zero	448
	.size	__tmebox_hosttab, 448

	.section .note.GNU-stack,"",@progbits

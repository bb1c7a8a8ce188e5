# accept1.s - a conforming module in the form tmebox-cc emits (COMMON.md
# decision 1/2), with a patch area that tests/test_verify.c overwrites with
# forbidden forms.  The verifier must accept it as it is.
#
# __tmebox_export_main runs at stack depth 40 (push + sub $0x20) from the
# spill to the end of the patch area; the area starts right after the
# marker `movl $0x7e57ab1e, %eax` and is 24 one-byte NOPs, followed by a
# host call (6 bytes) and a read-only data load (7 bytes) that the
# mutations use as templates.
	.text
	.globl	__tmebox_export_main
	.type	__tmebox_export_main,@function
	.p2align 4
__tmebox_export_main:
	pushq	%rbx
	subq	$0x20, %rsp
	movq	%rdi, 8(%rsp)			# spill inside the frame
	movl	%gs:(%edi), %eax		# %gs load, 32-bit address size
	movl	%gs:16(%edi,%esi,4), %ecx
	lock xaddl %ecx, %gs:(%edi)		# atomic on the view
	movsd	.LC0(%rip), %xmm0		# read-only data
	movq	0x30(%rsp), %rdx		# incoming stack argument
	movl	%edx, %gs:8(%edi)		# %gs store
	testl	%eax, %eax
	jz	1f
	callq	helper				# direct call of a local function
1:	movq	8(%rsp), %rdi			# reload the spill
	movl	$0x7e57ab1e, %eax		# patch-area marker
	.fill	24, 1, 0x90
	callq	*.Lhosttab+8(%rip)		# host call through slot 1
	movq	.LC1(%rip), %rax		# read-only data load
	addq	$0x20, %rsp
	popq	%rbx
	jmp	.Lleaf				# tail call at depth 0
	.size	__tmebox_export_main, .-__tmebox_export_main

	.p2align 4
	.type	helper,@function
helper:
	pushq	%rbp
	movl	%gs:16(%edi,%esi,4), %eax
	movq	%rax, (%rsp)
	popq	%rbp
	retq
	.size	helper, .-helper

	.globl	__tmebox_export_leaf
	.type	__tmebox_export_leaf,@function
	.p2align 4
__tmebox_export_leaf:
.Lleaf:
	movl	%gs:(%edi), %eax
	cmpl	$3, %eax
	jne	.Lleaf_out
	callq	*.Lhosttab(%rip)		# host call through slot 0 (trap)
	ud2
.Lleaf_out:
	retq
	.size	__tmebox_export_leaf, .-__tmebox_export_leaf

	.globl	__tmebox_rt_malloc
	.type	__tmebox_rt_malloc,@function
	.p2align 4
__tmebox_rt_malloc:
	xorl	%eax, %eax
	retq
	.size	__tmebox_rt_malloc, .-__tmebox_rt_malloc

	.globl	__tmebox_rt_free
	.type	__tmebox_rt_free,@function
	.p2align 4
__tmebox_rt_free:
	retq
	.size	__tmebox_rt_free, .-__tmebox_rt_free

	.section .rodata,"a",@progbits
	.p2align 3
.LC0:	.quad	0x3ff0000000000000
.LC1:	.quad	42

	.section .data.rel.ro,"aw",@progbits
	.p2align 3
	.quad	.Lleaf				# RELRO: a relocated code address

	.bss
	.globl	__tmebox_hosttab
	.type	__tmebox_hosttab,@object
	.p2align 3
__tmebox_hosttab:
.Lhosttab:
	.zero	448
	.size	__tmebox_hosttab, 448

	.section .note.GNU-stack,"",@progbits

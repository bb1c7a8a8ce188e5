# EXPECT-REJECT: cannot give 32-bit address size
	.text
	movl	%gs:sym+8(%rax), %eax

# EXPECT-REJECT: cannot give 32-bit address size
	.text
	movl	%gs:x(%rip), %eax

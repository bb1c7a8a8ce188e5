# EXPECT-REJECT: %gs access without 32-bit address size
	.text
	movl	%gs:16, %eax

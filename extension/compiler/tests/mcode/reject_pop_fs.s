# EXPECT-REJECT: segment register operand
	.text
	popq	%fs

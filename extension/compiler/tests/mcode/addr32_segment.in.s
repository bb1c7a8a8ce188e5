# EXPECT-REJECT: segment register operand
	.text
	movw	%gs, %ax

# EXPECT-REJECT: segment register operand
	.text
	movw	%ax, %gs

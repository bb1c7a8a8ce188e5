# EXPECT-REJECT: forbidden instruction
	.text
	inb	%dx, %al

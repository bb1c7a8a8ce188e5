# EXPECT-REJECT: forbidden instruction
	.text
	ljmpq	*(%rax)

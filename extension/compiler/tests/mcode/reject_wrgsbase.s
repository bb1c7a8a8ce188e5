# EXPECT-REJECT: forbidden instruction
	.text
	wrgsbase	%rax

# EXPECT-REJECT: forbidden instruction
	.text
	rdgsbase	%rax

# EXPECT-REJECT: forbidden instruction
	.text
	popfq

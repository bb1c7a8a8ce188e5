# EXPECT-REJECT: forbidden instruction
	.text
	lretq

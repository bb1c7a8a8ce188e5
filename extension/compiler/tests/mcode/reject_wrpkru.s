# EXPECT-REJECT: forbidden instruction
	.text
	wrpkru

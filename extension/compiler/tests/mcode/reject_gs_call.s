# EXPECT-REJECT: jump or call through sandbox memory
	.text
	addr32 callq	*%gs:16(%eax)

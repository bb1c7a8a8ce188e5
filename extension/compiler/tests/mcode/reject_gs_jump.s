# EXPECT-REJECT: jump or call through sandbox memory
	.text
	addr32 jmpq	*%gs:(%eax,%ecx,8)

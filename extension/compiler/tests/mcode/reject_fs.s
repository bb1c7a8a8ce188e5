# EXPECT-REJECT: %fs segment override
	.text
	movq	%fs:40, %rax

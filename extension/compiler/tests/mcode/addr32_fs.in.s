# EXPECT-REJECT: %fs access
	.text
	movq	%fs:0, %rax

# EXPECT-REJECT: cannot give 32-bit address size
	.text
	vpgatherdd	%xmm2, %gs:(%rax,%xmm1,4), %xmm0

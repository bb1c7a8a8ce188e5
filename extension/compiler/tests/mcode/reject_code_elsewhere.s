# EXPECT-REJECT: forbidden instruction at .text.other+0x0: syscall
# Every executable section is checked, not only .text.
	.text
	retq
	.section	.text.other,"ax",@progbits
	syscall

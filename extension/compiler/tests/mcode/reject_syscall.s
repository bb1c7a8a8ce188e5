# EXPECT-REJECT: forbidden instruction at .text+0x5: syscall
	.text
	movl	$60, %eax
	syscall

# EXPECT-REJECT: forbidden instruction
	.text
	int	$0x80

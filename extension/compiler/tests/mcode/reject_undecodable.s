# EXPECT-REJECT: undecodable bytes at .text+0x1
	.text
	nop
	.byte	0x06

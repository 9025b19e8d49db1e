	.machine power9
	.text
	addi 3,4,-8
	addi 0,0,0x7fff
	li 5,0x2000
	addis 6,0,1
	lis 6,-1
	ori 5,5,0xffff
	oris 7,8,0x8000
	andi. 10,11,1
	rldicr 11,11,0,62
	rldicr 3,4,8,55
	rldicr 1,2,32,31
	ld 3,-8(18)
	ld 0,0(4)
	std 0,0(3)
	std 31,0x7ff8(1)
	lwz 6,-0xa8(18)
	stw 6,0x5c(4)
	lwbrx 6,3,4
	stwbrx 17,3,4
	mtspr 9,5
	mtctr 5
	mtlr 4
	mflr 18
	mtsrr0 4
	mtsrr1 11
	mfspr 3,26
	mfspr 3,287
	mtspr 1023,3
	mfmsr 11
	or 17,3,3
	mr 17,3
	or 1,1,1
	or 2,2,2
	or 3,3,3
	or 31,31,31
	cmpdi 6,2
	cmpdi 3,0
	cmpwi 6,2
	cmpdi 7,5,-1
	sync
	isync
	rfid
	bctr
	nop
	b .+0x100
	b .-4
	bl .+8
	bcl 20,31,.+4
	beq .+16
	bne .-8
	blt .+0x7ffc
	bdnz .
	bdnz .-0x8000
	bge 7,.+12

package parse

import (
	"crypto/sha256"
	"hash"
)

// hashBehind computes the SHA-256 of the bytes written to it beside the
// reader rather than in its way. The reader that feeds the decoders of a
// large pull would otherwise spend a third of its time hashing (SHA-256
// runs at about 1.5 GB/s, the decoders together faster), and the decoders
// would wait for it.
//
// The first bytes are hashed as they come: a small file costs no goroutine
// and no buffer. Past inlineBytes, writes are copied into blocks, and each
// full block is hashed by a goroutine of its own that first waits for the
// goroutine of the block before it, so the hash sees the bytes in order. A
// goroutine ends with its block: none outlives the read, even when the
// caller never asks for the sum. At most maxHashBlocks are held; a writer
// that gets that far ahead waits for the oldest to be hashed.
type hashBehind struct {
	h       hash.Hash
	written int64
	block   []byte        // being filled; nil until the first is needed
	free    chan []byte   // hashed blocks, ready to be filled again
	made    int           // blocks allocated so far
	last    chan struct{} // closed once the last block handed off is hashed
}

const (
	inlineBytes   = 256 << 10
	hashBlockSize = 256 << 10
	maxHashBlocks = 8
)

func newHashBehind() *hashBehind {
	return &hashBehind{h: sha256.New()}
}

// Write never fails.
func (b *hashBehind) Write(p []byte) {
	if inline := min(int64(len(p)), inlineBytes-b.written); inline > 0 {
		b.h.Write(p[:inline])
		b.written += inline
		p = p[inline:]
	}
	for len(p) > 0 {
		if b.block == nil {
			b.block = b.freeBlock()
		}
		n := copy(b.block[len(b.block):cap(b.block)], p)
		b.block = b.block[:len(b.block)+n]
		b.written += int64(n)
		p = p[n:]
		if len(b.block) == cap(b.block) {
			b.handOff()
		}
	}
}

// freeBlock returns an empty block, waiting for one to be hashed when all
// are in use.
func (b *hashBehind) freeBlock() []byte {
	if b.free == nil {
		b.free = make(chan []byte, maxHashBlocks)
	}
	select {
	case block := <-b.free:
		return block
	default:
	}
	if b.made < maxHashBlocks {
		b.made++
		return make([]byte, 0, hashBlockSize)
	}
	return <-b.free
}

// handOff hashes the full block on a goroutine of its own, after the block
// before it.
func (b *hashBehind) handOff() {
	block, before, done := b.block, b.last, make(chan struct{})
	b.block, b.last = nil, done
	go func() {
		if before != nil {
			<-before
		}
		b.h.Write(block)
		b.free <- block[:0] // never blocks: the channel holds every block made
		close(done)
	}()
}

// Sum is the SHA-256 of everything written so far, once the blocks handed
// off are hashed. Writing may go on after it.
func (b *hashBehind) Sum() []byte {
	if b.last != nil {
		<-b.last
	}
	if len(b.block) > 0 {
		b.h.Write(b.block)
		b.block = b.block[:0]
	}
	return b.h.Sum(nil)
}

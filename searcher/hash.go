package searcher

import (
	"crypto/sha256"
	"hash"
)

// asyncHash computes a SHA-256 of what is written to it on its own
// goroutine, so hashing an input for the store's provenance does not slow
// the reading goroutine, which every record waits on.
type asyncHash struct {
	h    hash.Hash
	ch   chan []byte
	free chan []byte
	done chan struct{}
}

func newAsyncHash() *asyncHash {
	a := &asyncHash{h: sha256.New(), ch: make(chan []byte, 8), free: make(chan []byte, 8), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		for b := range a.ch {
			a.h.Write(b)
			select {
			case a.free <- b[:0]:
			default:
			}
		}
	}()
	return a
}

// Write queues a copy of p: the reader reuses its buffer.
func (a *asyncHash) Write(p []byte) (int, error) {
	var b []byte
	select {
	case b = <-a.free:
	default:
	}
	a.ch <- append(b, p...)
	return len(p), nil
}

// Sum waits for what was queued and returns the hash; call it once, after
// the last Write.
func (a *asyncHash) Sum() []byte {
	close(a.ch)
	<-a.done
	return a.h.Sum(nil)
}

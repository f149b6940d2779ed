package loader

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash"
	"io"
	"runtime"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// Loading a million incidents means reading some 800 MB of GeoJSON, and a
// single goroutine cannot even find where each feature ends fast enough.
// So the file is read in chunks of Options.ChunkSize, each cut just after a line
// break where there is one, and every chunk is split and decoded on its
// own core. A chunk's scan must start from the scanner state the previous
// chunk ended in, which is not known until that one is done; so workers
// guess it: the state between two features, where a file written one
// feature per line (as strikemap and `dataset` write them) stands at every
// line break. Chunks are then taken in file order, and a chunk whose guess
// was wrong (a pretty-printed file, a feature across the cut) is scanned
// again from the true state, on one core. A guess that holds gives exactly
// what a serial scan gives, since the scan depends on nothing but its state.

// DefaultChunkSize is the chunk size when Options.ChunkSize is 0.
const DefaultChunkSize = 4 << 20

// Options tune ScanFile; the zero Options are the ones to serve with.
type Options struct {
	// ChunkSize is how many bytes of the file each worker takes at a
	// time (0: DefaultChunkSize). Tests cut files into many small chunks.
	ChunkSize int
	// Scribble overwrites every buffer of the file's bytes as it is
	// reused, so that a string still pointing into one changes: for tests
	// of who owns what (see unsafe.go).
	Scribble bool
}

func (o Options) chunkSize() int {
	if o.ChunkSize > 0 {
		return o.ChunkSize
	}
	return DefaultChunkSize
}

// scribble overwrites b when o.Scribble is set.
func (o Options) scribble(b []byte) {
	if o.Scribble {
		for i := range b {
			b[i] = '#'
		}
	}
}

// chunk is one piece of a data file and what a worker made of it.
type chunk[T, P any] struct {
	seq int
	off int64 // buf's offset in the file
	buf []byte
	// Filled by the worker:
	guessed bool    // scanned from betweenFeatures rather than the true state
	end     scanner // the state after the chunk
	err     error   // a structural error in the chunk, if any
	sum     uint64  // xxhash of buf
	out     Run[T, P]
}

// Run is what a decoder made of a run of features: of T, the values it
// keeps, and of P, its problems.
type Run[T, P any] struct {
	Features int     // how many features were read
	Items    []T     // the valid ones, in file order
	Index    []int32 // each item's feature index, counted from the run's first feature
	Problems []P     // with feature indexes counted from the run's first feature
}

// chunkPool holds the chunk buffers: a fixed number, so that reading
// waits for the decoders rather than filling memory.
type chunkPool chan []byte

// newChunkPool makes a pool of n buffers, allocated by readChunks when
// first used: a small file needs one, of its own size.
func newChunkPool(n int) chunkPool {
	p := make(chunkPool, n)
	for range n {
		p <- nil
	}
	return p
}

// chunkBytes is the size of the chunk buffers for a file of size bytes
// (-1: unknown).
func chunkBytes(size int64, chunkSize int) int {
	if size >= 0 && size < int64(chunkSize) {
		return int(size) + 1 // one more, to see the end of the file
	}
	return chunkSize
}

// cutPoint is where to end a chunk of buf: just after its last line
// break, or else just after the last "}," (a likely gap between features in
// a file on one line), or else at the end. It keeps at least half of buf,
// so the rest always fits in the next chunk.
func cutPoint(buf []byte) int {
	half := len(buf) / 2
	if i := bytes.LastIndexByte(buf[half:], '\n'); i >= 0 {
		return half + i + 1
	}
	if i := bytes.LastIndex(buf[half:], []byte("},")); i >= 0 {
		return half + i + 2
	}
	return len(buf)
}

// readChunks reads r into chunks of size bytes at most, in buffers from
// pool, and sends them, in order, to out, which it closes. It returns r's
// error, if any.
func readChunks[T, P any](r io.Reader, size int, pool chunkPool, out chan<- *chunk[T, P], stop <-chan struct{}) error {
	defer close(out)
	var carry []byte
	var off int64
	for seq := 0; ; seq++ {
		var buf []byte
		select {
		case buf = <-pool:
		case <-stop:
			return nil
		}
		if cap(buf) < size {
			buf = make([]byte, 0, size)
		}
		buf = append(buf[:0], carry...)
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			pool <- buf
			return err
		}
		cut := len(buf)
		if !eof {
			cut = cutPoint(buf)
		}
		carry = append(carry[:0], buf[cut:]...)
		select {
		case out <- &chunk[T, P]{seq: seq, off: off, buf: buf[:cut]}:
			off += int64(cut)
		case <-stop:
			return nil
		}
		if eof {
			return nil
		}
	}
}

// Decoder turns the raw features of a file into values and problems; each
// worker has its own. The raw bytes it is given are reused once the run is
// taken: what it keeps, it copies (Text).
type Decoder[T, P any] interface {
	// Take may decode the feature at the start of rest and return its
	// length; 0 means it did not, and Feature will be called.
	Take(rest []byte, index int, out *Run[T, P]) int
	// Feature decodes a feature that Take did not; at is its offset in
	// the file.
	Feature(raw []byte, at int64, index int, out *Run[T, P])
}

// ScanFile streams a FeatureCollection from r, decodes its features in
// parallel with decoders made by newDecoder, and calls take, in file order,
// with what each run of features gave, the feature index of the run's
// first feature, and how many bytes of the file are read up to the end of
// that run; take must not keep out's slices, which are used again. size is
// r's length, or -1 when it is unknown. It writes into h the xxhash of each
// chunk, which the workers compute (a SHA-256 of 800 MB took a fifth of the
// loading time). What is wrong with the collection itself (not JSON, not a
// FeatureCollection) is in the Collection, the features before it being
// taken; an error is returned only when r fails (a *ReadError).
func ScanFile[T, P any](r io.Reader, size int64, h hash.Hash, opts Options, newDecoder func() Decoder[T, P], take func(first int, read int64, out *Run[T, P])) (Collection, error) {
	workers := max(1, runtime.GOMAXPROCS(0))
	pool := newChunkPool(2*workers + 2)
	// The decoders' output buffers, back from take.
	outputs := make(chan Run[T, P], 4*workers+4)
	jobs := make(chan *chunk[T, P], workers)
	done := make(chan *chunk[T, P], 2*workers+2)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() { readErr <- readChunks(r, chunkBytes(size, opts.chunkSize()), pool, jobs, stop) }()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			dec := newDecoder()
			hint := 0 // valid features in the last chunk
			for c := range jobs {
				select {
				case c.out = <-outputs:
				default:
					c.out.Items = make([]T, 0, hint+hint/16+16)
					c.out.Index = make([]int32, 0, hint+hint/16+16)
				}
				c.sum = xxhash.Sum64(c.buf)
				s := scanner{scribble: opts.Scribble}
				if c.seq > 0 {
					s, c.guessed = betweenFeatures(), true
					s.scribble, s.base = opts.Scribble, c.off
				}
				c.err = scanInto(&s, c.buf, dec, &c.out)
				c.end = s
				hint = len(c.out.Items)
				done <- c
			}
		})
	}
	go func() { wg.Wait(); close(done) }()

	var (
		state   = scanner{scribble: opts.Scribble}
		serial  = newDecoder()
		first   int   // feature index of the next chunk's first feature
		read    int64 // bytes of the file taken
		failed  error
		pending = map[int]*chunk[T, P]{}
		next    int
	)
	for c := range done {
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			h.Write(binary.LittleEndian.AppendUint64(nil, c.sum))
			if failed == nil {
				out, err := &c.out, c.err
				if c.guessed && !state.isBetweenFeatures() {
					// The guess was wrong: scan the chunk again from
					// the true state.
					redo := new(Run[T, P])
					err = scanInto(&state, c.buf, serial, redo)
					out = redo
				} else {
					if c.guessed {
						c.end.merge(&state)
					}
					state = c.end
				}
				read += int64(len(c.buf))
				take(first, read, out)
				first += out.Features
				if err != nil {
					failed = err
					close(stop)
				}
			}
			opts.scribble(c.buf)
			pool <- c.buf[:0]
			select {
			case outputs <- Run[T, P]{Items: c.out.Items[:0], Index: c.out.Index[:0]}:
			default:
			}
		}
	}
	if err := <-readErr; err != nil {
		return Collection{}, &ReadError{err}
	}
	return state.collection(failed), nil
}

// scanInto scans buf on from s, decoding its features with dec into out.
func scanInto[T, P any](s *scanner, buf []byte, dec Decoder[T, P], out *Run[T, P]) error {
	return s.scanWith(buf, func(rest []byte) int {
		n := dec.Take(rest, out.Features, out)
		if n > 0 {
			out.Features++
		}
		return n
	}, func(raw []byte, at int64) {
		dec.Feature(raw, at, out.Features, out)
		out.Features++
	})
}

// HashChunks writes into h what ScanFile writes for r (the xxhash of each
// chunk, cut where ScanFile cuts it) without decoding anything: the
// digest of a file whose features are known valid, read at the speed of
// its reader. size is as for ScanFile.
func HashChunks(r io.Reader, size int64, h hash.Hash, opts Options) error {
	return Chunks(r, size, opts, func(_ int64, buf []byte) bool {
		h.Write(binary.LittleEndian.AppendUint64(nil, xxhash.Sum64(buf)))
		return true
	})
}

// Chunks calls fn, in order, with each chunk of r as ScanFile cuts it: its
// offset in r and its bytes, which fn must not keep. fn returns false to
// stop reading. Its xxhash (ChunkSum) is what ScanFile hashes.
func Chunks(r io.Reader, size int64, opts Options, fn func(off int64, buf []byte) bool) error {
	chunks := make(chan *chunk[struct{}, struct{}], 2)
	pool := newChunkPool(2)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() { readErr <- readChunks(r, chunkBytes(size, opts.chunkSize()), pool, chunks, stop) }()
	stopped := false
	for c := range chunks {
		if !stopped && !fn(c.off, c.buf) {
			stopped = true
			close(stop)
		}
		pool <- c.buf[:0]
	}
	if err := <-readErr; err != nil && !stopped {
		return &ReadError{err}
	}
	return nil
}

// ChunkSum is the hash of one chunk that ScanFile writes into its hash,
// little-endian.
func ChunkSum(buf []byte) uint64 { return xxhash.Sum64(buf) }

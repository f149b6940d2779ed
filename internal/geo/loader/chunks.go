package geo

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
// So the file is read in chunks of chunkSize, each cut just after a line
// break where there is one, and every chunk is split and decoded on its
// own core. A chunk's scan must start from the scanner state the previous
// chunk ended in, which is not known until that one is done; so workers
// guess it: the state between two features, where a file written one
// feature per line (as strikemap and `dataset` write them) stands at every
// line break. Chunks are then taken in file order, and a chunk whose guess
// was wrong (a pretty-printed file, a feature across the cut) is scanned
// again from the true state, on one core. A guess that holds gives exactly
// what a serial scan gives, since the scan depends on nothing but its state.

// chunkSize is a variable so that tests can cut files into many small chunks.
var chunkSize = 4 << 20

// chunk is one piece of a data file and what a worker made of it.
type chunk struct {
	seq int
	buf []byte
	// Filled by the worker:
	guessed bool    // scanned from betweenFeatures rather than the true state
	end     scanner // the state after the chunk
	err     error   // a structural error in the chunk, if any
	sum     uint64  // xxhash of buf
	out     decoded
}

// decoded is what the decoders made of a run of features.
type decoded struct {
	features  int        // how many features were read
	incidents []Incident // the valid ones, in file order
	index     []int32    // each valid incident's feature index
	problems  []Problem  // Index counted from the run's first feature
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
func chunkBytes(size int64) int {
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
func readChunks(r io.Reader, size int, pool chunkPool, out chan<- *chunk, stop <-chan struct{}) error {
	defer close(out)
	var carry []byte
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
		case out <- &chunk{seq: seq, buf: buf[:cut]}:
		case <-stop:
			return nil
		}
		if eof {
			return nil
		}
	}
}

// featureDecoder turns the raw features of one run into results; each
// worker has its own.
type featureDecoder interface {
	// take may decode the feature at the start of rest and return its
	// length; 0 means it did not, and feature will be called.
	take(rest []byte, index int, out *decoded) int
	feature(raw []byte, index int, out *decoded)
}

// scanFile streams a FeatureCollection from r, decodes its features in
// parallel with decoders made by newDecoder, and calls take, in file order,
// with what each run of features gave and the feature index of the run's
// first feature, and how many bytes of the file are read up to the end of
// that run; take must not keep out's slices, which are used again. It
// writes into h the xxhash of each chunk, which the workers compute (a
// SHA-256 of 800 MB took a fifth of the loading time). Problems with the
// collection itself (not JSON, not a FeatureCollection) are added to
// problems, the features before them being taken; an error is returned
// only when r fails.
func scanFile(file string, r io.Reader, size int64, h hash.Hash, newDecoder func() featureDecoder, take func(first int, read int64, out *decoded), problems *[]Problem) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	pool := newChunkPool(2*workers + 2)
	// The decoders' output buffers, back from take.
	outputs := make(chan decoded, 4*workers+4)
	jobs := make(chan *chunk, workers)
	done := make(chan *chunk, 2*workers+2)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() { readErr <- readChunks(r, chunkBytes(size), pool, jobs, stop) }()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			dec := newDecoder()
			hint := 0 // valid features in the last chunk
			for c := range jobs {
				select {
				case c.out = <-outputs:
				default:
					c.out.incidents = make([]Incident, 0, hint+hint/16+16)
					c.out.index = make([]int32, 0, hint+hint/16+16)
				}
				c.sum = xxhash.Sum64(c.buf)
				s := scanner{}
				if c.seq > 0 {
					s, c.guessed = betweenFeatures(), true
				}
				c.err = scanInto(&s, c.buf, dec, &c.out)
				c.end = s
				hint = len(c.out.incidents)
				done <- c
			}
		})
	}
	go func() { wg.Wait(); close(done) }()

	var (
		state   scanner
		serial  = newDecoder()
		first   int   // feature index of the next chunk's first feature
		read    int64 // bytes of the file taken
		failed  error
		pending = map[int]*chunk{}
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
					redo := new(decoded)
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
				first += out.features
				if err != nil {
					failed = err
					close(stop)
				}
			}
			pool <- c.buf[:0]
			select {
			case outputs <- decoded{incidents: c.out.incidents[:0], index: c.out.index[:0]}:
			default:
			}
		}
	}
	if err := <-readErr; err != nil {
		return readError{err}
	}
	if failed == nil {
		failed = state.finish()
	}
	addFileProblem(file, &state, failed, problems)
	return nil
}

// scanInto scans buf on from s, decoding its features with dec into out.
func scanInto(s *scanner, buf []byte, dec featureDecoder, out *decoded) error {
	return s.scanWith(buf, func(rest []byte) int {
		n := dec.take(rest, out.features, out)
		if n > 0 {
			out.features++
		}
		return n
	}, func(raw []byte) {
		dec.feature(raw, out.features, out)
		out.features++
	})
}

// readError marks errors from the reader, as opposed to the JSON's shape.
type readError struct{ error }

func (e readError) Unwrap() error { return e.error }

package geo

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"unsafe"

	"strikemap/internal/mapfault"
)

// A snapshot is a dataset's bases and incidents in a compact binary form,
// already checked and in date order, so that reading one back skips the
// GeoJSON parsing, the validation and the sorting: internal/loadcache keeps
// one per data directory, keyed by the files' contents. It holds what
// LoadCore makes (not the optional files, which Load reads on top).
//
// The layout, little-endian: a header (magic, SnapshotFormat, the counts, the
// Version), then every string the dataset holds in one text block, each
// repeated one once where it repeats near itself, then the bases, then each
// incident as a fixed record followed by its sources and string lists, then
// the file order and the id order (a position per incident each). A string
// is its offset and length in the text block; a list is its length plus
// one (0 for nil).
//
// ReadSnapshot checks every offset, length, count and term against the
// header and the size, so that a damaged snapshot gives an error, never a
// panic or an oversized allocation; it cannot tell a damaged value that is
// still in range, which is why internal/loadcache checksums the whole file.

// SnapshotFormat is the version of the layout WriteSnapshot writes;
// ReadSnapshot refuses any other. Change it with the layout or with what a
// field of Incident, Source or Base means.
const SnapshotFormat = 1

const snapshotMagic = "strikemap-snap\x00\x00"

// Fixed sizes, in bytes, of the records.
const (
	strRefSize   = 8 // offset, length
	listSize     = 4 // length + 1, or 0 for nil
	incidentSize = strRefSize + 16 + 5*4 + 4 + 3*strRefSize + 3*listSize
	sourceSize   = 3*strRefSize + 4 + 4
	baseFields   = 11 // string fields of a Base, Aliases aside
	baseSize     = baseFields*strRefSize + 16 + listSize
	headerSize   = len(snapshotMagic) + 4 + 4 + 4 + 8 + 8 + 8 + 4
)

// snapshotCounts are the sizes a snapshot's header gives.
type snapshotCounts struct {
	bases, incidents uint32
	sources, strs    uint64 // all the incidents' sources; all strings of lists
	text             uint64 // bytes of the text block
	version          uint32 // bytes of the version
}

// text gives each string its place in the text block. Repeated strings
// (publishers, paraphrases, outcomes, base ids) are written once through a
// small cache of recent ones, as the loader interns them; unique ones (ids,
// URLs) pass through. It gives the same places on every pass over the same
// strings (slotHash has no seed), so the writer can count, then write the
// text, then the records.
type textPlacer struct {
	slots [4096]struct {
		s   string
		off uint64
	}
	size uint64
	emit func(string) // called with each new string, in order; may be nil
}

func (t *textPlacer) reset() {
	clear(t.slots[:])
	t.size = 0
}

func (t *textPlacer) place(s string) (off uint64) {
	if s == "" {
		return 0
	}
	slot := &t.slots[slotHash(s)&(uint64(len(t.slots))-1)]
	if slot.s == s {
		return slot.off
	}
	off = t.size
	t.size += uint64(len(s))
	slot.s, slot.off = s, off
	if t.emit != nil {
		t.emit(s)
	}
	return off
}

// slotHash picks a string's slot in textPlacer from its length and its
// last 16 bytes, where the strings that repeat (publishers, paraphrases)
// and the unique ones (ids, URLs, notes ending in a number) differ; a
// collision only costs a repeated string written twice.
func slotHash(s string) uint64 {
	h := uint64(len(s)) * 0x9e3779b97f4a7c15
	for i := max(0, len(s)-16); i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 0x100000001b3
	}
	return h ^ h>>29
}

// walkStrings calls place with every string of d in the order the records
// hold them.
func (d *Dataset) walkStrings(place func(string)) {
	for i := range d.Bases {
		b := &d.Bases[i]
		for _, s := range baseStrings(b) {
			place(s)
		}
		for _, a := range b.Aliases {
			place(a)
		}
	}
	for i := range d.Incidents {
		inc := d.Incidents[i]
		place(inc.ID)
		place(inc.Base)
		place(inc.Outcome)
		place(inc.Notes)
		for k := range inc.Sources {
			s := &inc.Sources[k]
			place(s.Publisher)
			place(s.URL)
			place(s.Says)
		}
		for _, s := range inc.ClaimedBy {
			place(s)
		}
		for _, s := range inc.Disputed {
			place(s)
		}
	}
}

func baseStrings(b *Base) [baseFields]string {
	return [baseFields]string{b.ID, b.Name, b.ShortName, b.Country, b.Admin1, string(b.Kind), b.ICAO, b.IATA, b.CoordSource, b.CoordURL, b.Notes}
}

// WriteSnapshot writes d's bases, incidents and Version as a snapshot
// (see SnapshotFormat). d must be what LoadCore or ReadSnapshot returned:
// the optional files are not written. It reads d three times (to count,
// to write the text, to write the records) and holds no copy of it.
func (d *Dataset) WriteSnapshot(w io.Writer) error {
	if len(d.Incidents) > math.MaxInt32 || len(d.Bases) > math.MaxInt32 {
		return errors.New("snapshot: too many incidents")
	}
	t := new(textPlacer)
	c := snapshotCounts{bases: uint32(len(d.Bases)), incidents: uint32(len(d.Incidents)), version: uint32(len(d.Version))}
	d.walkStrings(func(s string) { t.place(s) })
	c.text = t.size
	if c.text > math.MaxUint32 {
		return fmt.Errorf("snapshot: %d bytes of text is more than the format holds", c.text)
	}
	for i := range d.Bases {
		c.strs += uint64(len(d.Bases[i].Aliases))
	}
	for i := range d.Incidents {
		inc := d.Incidents[i]
		c.sources += uint64(len(inc.Sources))
		c.strs += uint64(len(inc.ClaimedBy) + len(inc.Disputed))
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	var le = binary.LittleEndian
	head := make([]byte, 0, headerSize)
	head = append(head, snapshotMagic...)
	head = le.AppendUint32(head, SnapshotFormat)
	head = le.AppendUint32(head, c.bases)
	head = le.AppendUint32(head, c.incidents)
	head = le.AppendUint64(head, c.sources)
	head = le.AppendUint64(head, c.strs)
	head = le.AppendUint64(head, c.text)
	head = le.AppendUint32(head, c.version)
	bw.Write(head)
	bw.WriteString(d.Version)

	t.reset()
	t.emit = func(s string) { bw.WriteString(s) }
	d.walkStrings(func(s string) { t.place(s) })

	t.reset()
	t.emit = nil
	var rec []byte
	ref := func(s string) {
		rec = le.AppendUint32(rec, uint32(t.place(s)))
		rec = le.AppendUint32(rec, uint32(len(s)))
	}
	list := func(n int, isNil bool) {
		if isNil {
			rec = le.AppendUint32(rec, 0)
		} else {
			rec = le.AppendUint32(rec, uint32(n)+1)
		}
	}
	point := func(x, y float64) {
		rec = le.AppendUint64(rec, math.Float64bits(x))
		rec = le.AppendUint64(rec, math.Float64bits(y))
	}
	for i := range d.Bases {
		b := &d.Bases[i]
		rec = rec[:0]
		for _, s := range baseStrings(b) {
			ref(s)
		}
		point(b.Point[0], b.Point[1])
		list(len(b.Aliases), b.Aliases == nil)
		for _, a := range b.Aliases {
			ref(a)
		}
		bw.Write(rec)
	}
	for i := range d.Incidents {
		inc := d.Incidents[i]
		rec = rec[:0]
		ref(inc.ID)
		point(inc.Point[0], inc.Point[1])
		for _, v := range [...]int32{int32(inc.Date), int32(inc.DateEnd), inc.Count.n, inc.Injured.n, inc.Killed.n} {
			rec = le.AppendUint32(rec, uint32(v))
		}
		rec = append(rec, byte(inc.Weapon), byte(inc.Status), byte(inc.LocationPrecision), 0)
		ref(inc.Base)
		ref(inc.Outcome)
		ref(inc.Notes)
		list(len(inc.Sources), inc.Sources == nil)
		list(len(inc.ClaimedBy), inc.ClaimedBy == nil)
		list(len(inc.Disputed), inc.Disputed == nil)
		for k := range inc.Sources {
			s := &inc.Sources[k]
			ref(s.Publisher)
			ref(s.URL)
			ref(s.Says)
			rec = le.AppendUint32(rec, uint32(s.Published.x))
			rec = append(rec, byte(s.Kind), 0, 0, 0)
		}
		for _, s := range inc.ClaimedBy {
			ref(s)
		}
		for _, s := range inc.Disputed {
			ref(s)
		}
		if _, err := bw.Write(rec); err != nil {
			return err
		}
	}
	rec = rec[:0]
	for _, p := range d.filePos {
		rec = le.AppendUint32(rec, uint32(p))
		if len(rec) >= 1<<16 {
			bw.Write(rec)
			rec = rec[:0]
		}
	}
	for _, p := range d.byID {
		rec = le.AppendUint32(rec, uint32(p))
		if len(rec) >= 1<<16 {
			bw.Write(rec)
			rec = rec[:0]
		}
	}
	bw.Write(rec)
	return bw.Flush()
}

// errSnapshot says a snapshot does not hold what its header says.
var errSnapshot = errors.New("snapshot is damaged")

// snapshotChunk is the number of incidents one goroutine decodes at a time.
const snapshotChunk = 1 << 12

// DecodeSnapshot decodes the snapshot that is the whole of b and returns its
// dataset, indexed as LoadCore's. A snapshot of another format or one that
// does not hold together is an error.
//
// It decodes on every core (GOMAXPROCS): the text block is copied out while
// the records are decoded in chunks of snapshotChunk incidents, whose
// places a first pass over the records' list lengths finds, and while the
// two orders are checked. The dataset keeps nothing of b, which may be a
// mapped file: a fault reading it (a file cut short while mapped) is an
// error, not a crash. b should not change while it is decoded; if it does
// (a file rewritten while mapped), the result is an error or a dataset the
// snapshot's checksum refuses, never a write past a chunk nor a panic.
func DecodeSnapshot(b []byte) (d *Dataset, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer mapfault.Recover(&err, onFault)
	le := binary.LittleEndian
	if len(b) < headerSize {
		return nil, fmt.Errorf("%w: it ends early", errSnapshot)
	}
	head := b[:headerSize]
	if string(head[:len(snapshotMagic)]) != snapshotMagic {
		return nil, fmt.Errorf("%w: not a snapshot", errSnapshot)
	}
	head = head[len(snapshotMagic):]
	if f := le.Uint32(head); f != SnapshotFormat {
		return nil, fmt.Errorf("snapshot format %d, not %d", f, SnapshotFormat)
	}
	c := snapshotCounts{bases: le.Uint32(head[4:]), incidents: le.Uint32(head[8:]), sources: le.Uint64(head[12:]),
		strs: le.Uint64(head[20:]), text: le.Uint64(head[28:]), version: le.Uint32(head[36:])}
	// Everything the counts make us allocate must fit in the snapshot's size.
	need := uint64(headerSize) + uint64(c.version) + c.text + uint64(c.bases)*baseSize +
		uint64(c.incidents)*(incidentSize+8) + c.sources*sourceSize + c.strs*strRefSize
	if c.incidents > math.MaxInt32 || c.bases > math.MaxInt32 || c.sources > math.MaxInt32 || c.strs > math.MaxInt32 ||
		c.text > math.MaxUint32 || need > uint64(len(b)) {
		return nil, fmt.Errorf("%w: its header counts more than its %d bytes hold", errSnapshot, len(b))
	}
	n := int(c.incidents)
	off := headerSize
	version := string(b[off : off+int(c.version)])
	off += int(c.version)
	textIn := b[off : off+int(c.text)]
	off += int(c.text)
	// The records fill what lies between the text and the two orders,
	// which end the snapshot: the first pass checks they fill it exactly.
	posAt := len(b) - 8*n
	recs := b[off:posAt]

	// The text block is copied while the records are read: their strings
	// are only places in it until every job is done. It is then one string
	// (unsafe.String, without a second copy of the whole block at a million
	// incidents) that every incident's strings are views of: the rule is
	// that nothing writes text once the jobs are done, and nothing but this
	// function holds it as bytes (loader/unsafe.go lists the uses of unsafe).
	text := make([]byte, len(textIn))
	hugePages(text)
	s := &snapshotDecoder{recs: recs, text: unsafe.String(unsafe.SliceData(text), len(text)), strs: make([]string, c.strs)}
	hugePages(s.strs)

	d = &Dataset{Version: version, Bases: make([]Base, c.bases), baseByID: make(map[string]int, c.bases)}
	p, str := 0, 0
	for i := range d.Bases {
		if len(recs)-p < baseSize {
			return nil, fmt.Errorf("%w: it ends early", errSnapshot)
		}
		b := recs[p : p+baseSize]
		p += baseSize
		var f [baseFields]string
		for k := range f {
			f[k] = s.str(b[k*strRefSize:])
		}
		base := &d.Bases[i]
		*base = Base{ID: f[0], Name: f[1], ShortName: f[2], Country: f[3], Admin1: f[4], Kind: BaseKind(f[5]),
			ICAO: f[6], IATA: f[7], CoordSource: f[8], CoordURL: f[9], Notes: f[10], Point: readPoint(b[baseFields*strRefSize:])}
		if k, isNil := list(b[baseFields*strRefSize+16:]); !isNil {
			if uint64(k) > c.strs-uint64(str) || uint64(len(recs)-p) < uint64(k)*strRefSize {
				return nil, fmt.Errorf("%w: more strings in lists than its header counts", errSnapshot)
			}
			base.Aliases = s.strings(p, str, k)
			p, str = p+k*strRefSize, str+k
		}
	}
	if s.err != nil {
		return nil, s.err
	}

	// The first pass: where each chunk's records, sources and strings
	// start, from the lengths of the incidents' lists alone.
	chunks := make([]snapshotSpan, 0, n/snapshotChunk+1)
	source := 0
	for i := range n {
		if i%snapshotChunk == 0 {
			chunks = append(chunks, snapshotSpan{i, p, source, str})
		}
		if len(recs)-p < incidentSize {
			return nil, fmt.Errorf("%w: its records end early", errSnapshot)
		}
		b := recs[p+incidentSize-3*listSize:]
		nSources, _ := list(b)
		nClaimed, _ := list(b[4:])
		nDisputed, _ := list(b[8:])
		size := uint64(incidentSize) + uint64(nSources)*sourceSize + uint64(nClaimed+nDisputed)*strRefSize
		if size > uint64(len(recs)-p) || uint64(nSources) > c.sources-uint64(source) || uint64(nClaimed+nDisputed) > c.strs-uint64(str) {
			return nil, fmt.Errorf("%w: incident %d's lists are longer than its header counts", errSnapshot, i)
		}
		p += int(size)
		source += nSources
		str += nClaimed + nDisputed
	}
	if p != len(recs) || uint64(source) != c.sources || uint64(str) != c.strs {
		return nil, fmt.Errorf("%w: its records do not fill it as its header says", errSnapshot)
	}

	incidents := make([]Incident, n)
	sources := make([]Source, c.sources)
	hugePages(incidents)
	hugePages(sources)
	jobs := make([]func() error, 0, len(chunks)+3)
	jobs = append(jobs, func() error { copy(text, textIn); return nil })
	chunks = append(chunks, snapshotSpan{n, p, source, str}) // where the last one ends
	for k, ch := range chunks[:len(chunks)-1] {
		jobs = append(jobs, func() error {
			return s.incidents(incidents, sources, ch.first, ch.at, ch.source, ch.str, chunks[k+1])
		})
	}
	jobs = append(jobs,
		func() (err error) { d.filePos, err = positions(b[posAt:posAt+4*n], n); return err },
		func() (err error) { d.byID, err = positions(b[posAt+4*n:], n); return err })
	if err := runJobs(jobs); err != nil {
		return nil, err
	}
	if d.byID == nil {
		d.byID = []int32{} // as newDataset makes it
	}
	// The text is in: the bases' ids can be read.
	for i := range d.Bases {
		d.baseByID[d.Bases[i].ID] = i
	}
	d.Incidents = pointers(incidents)
	d.index = buildIndex(d.Incidents)
	d.whole = sync.OnceValue(d.countWhole)
	return d, nil
}

// runJobs runs jobs on GOMAXPROCS goroutines and returns the first error
// (in jobs' order) of those that failed; a fault reading a mapped file is
// one (onFault).
func runJobs(jobs []func() error) error {
	errs := make([]error, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) {
					return
				}
				errs[k] = func() (err error) {
					defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
					defer mapfault.Recover(&err, onFault)
					return jobs[k]()
				}()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// onFault turns a fault reading the snapshot (a mapped file cut short
// while read) into errSnapshot's error, for mapfault.Recover.
func onFault(addr uintptr) error {
	return fmt.Errorf("%w: reading it faulted at %#x (cut short while read?)", errSnapshot, addr)
}

// snapshotDecoder decodes a snapshot's records.
type snapshotDecoder struct {
	recs []byte
	text string
	strs []string // all the strings of lists, in the records' order
	err  error    // of the bases, read on one goroutine
}

// str reads the string whose reference starts b, noting an error in s.err.
func (s *snapshotDecoder) str(b []byte) string {
	v, err := s.strAt(b)
	if err != nil && s.err == nil {
		s.err = err
	}
	return v
}

// strAt reads the string whose reference starts b.
func (s *snapshotDecoder) strAt(b []byte) (string, error) {
	off, n := uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[4:]))
	if off+n > uint64(len(s.text)) {
		return "", fmt.Errorf("%w: a string lies outside its text", errSnapshot)
	}
	return s.text[off : off+n], nil
}

// strings reads the k string references at recs[p:] into strs[at:] and
// returns them; the first pass checked they are there.
func (s *snapshotDecoder) strings(p, at, k int) []string {
	out := s.strs[at : at+k : at+k]
	for j := range out {
		out[j] = s.str(s.recs[p+j*strRefSize:])
	}
	return out
}

func readPoint(b []byte) [2]float64 {
	le := binary.LittleEndian
	return [2]float64{math.Float64frombits(le.Uint64(b)), math.Float64frombits(le.Uint64(b[8:]))}
}

// list reads a list's length (and whether it is nil) from b.
func list(b []byte) (n int, isNil bool) {
	v := binary.LittleEndian.Uint32(b)
	if v == 0 {
		return 0, true
	}
	return int(v - 1), false
}

// snapshotSpan is where an incident's record, its first source and the
// first string of its lists are.
type snapshotSpan struct{ first, at, source, str int }

// incidents decodes incidents[from:end.first], whose records start at
// recs[p:], their sources at sources[source:] and their lists' strings at
// s.strs[str:], as the first pass found them; they must end where end
// starts. (It checks every length again, against end: a mapped file that
// changes under it gives an error, or a dataset the checksum refuses, but
// never writes past its chunk nor panics.)
// errMoved says a mapped snapshot's records changed while they were read.
var errMoved = fmt.Errorf("%w: its records changed while read", errSnapshot)

func (s *snapshotDecoder) incidents(incidents []Incident, sources []Source, from, p, source, str int, end snapshotSpan) error {
	le := binary.LittleEndian
	var err error
	ref := func(b []byte) string {
		v, e := s.strAt(b)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	strs := func(k int, isNil bool) []string {
		if isNil {
			return nil
		}
		if k > end.str-str || k*strRefSize > end.at-p {
			if err == nil {
				err = errMoved
			}
			return nil
		}
		out := s.strs[str : str+k : str+k]
		for j := range out {
			out[j] = ref(s.recs[p:])
			p += strRefSize
		}
		str += k
		return out
	}
	for i := from; i < end.first; i++ {
		if end.at-p < incidentSize {
			return errMoved
		}
		b := s.recs[p : p+incidentSize]
		p += incidentSize
		inc := &incidents[i]
		inc.ID = ref(b)
		inc.Point = readPoint(b[8:])
		b = b[24:]
		inc.Date, inc.DateEnd = Date(le.Uint32(b)), Date(le.Uint32(b[4:]))
		inc.Count, inc.Injured, inc.Killed = Number{int32(le.Uint32(b[8:]))}, Number{int32(le.Uint32(b[12:]))}, Number{int32(le.Uint32(b[16:]))}
		inc.Weapon, inc.Status, inc.LocationPrecision = Weapon(b[20]), Status(b[21]), Precision(b[22])
		b = b[24:]
		inc.Base, inc.Outcome, inc.Notes = ref(b), ref(b[8:]), ref(b[16:])
		b = b[24:]
		nSources, noSources := list(b)
		nClaimed, noClaimed := list(b[4:])
		nDisputed, noDisputed := list(b[8:])
		if int(inc.Weapon) >= len(weaponWords) || inc.Weapon == 0 || int(inc.Status) >= len(statusWords) || inc.Status == 0 ||
			int(inc.LocationPrecision) >= len(precisionWords) || inc.LocationPrecision == 0 || inc.DateEnd < inc.Date ||
			inc.Count.n < 0 || inc.Injured.n < 0 || inc.Killed.n < 0 {
			return fmt.Errorf("%w: incident %d holds a value out of range", errSnapshot, i)
		}
		if !noSources {
			if nSources > end.source-source || nSources*sourceSize > end.at-p {
				return errMoved
			}
			inc.Sources = sources[source : source+nSources : source+nSources]
			source += nSources
			for k := range inc.Sources {
				b := s.recs[p : p+sourceSize]
				p += sourceSize
				src := &inc.Sources[k]
				src.Publisher, src.URL, src.Says = ref(b), ref(b[8:]), ref(b[16:])
				src.Published = MaybeDate{int32(le.Uint32(b[24:]))}
				src.Kind = SourceKind(b[28])
				if src.Kind == 0 || int(src.Kind) >= len(sourceKindWords) {
					return fmt.Errorf("%w: incident %d has a source of no known kind", errSnapshot, i)
				}
			}
		}
		inc.ClaimedBy = strs(nClaimed, noClaimed)
		inc.Disputed = strs(nDisputed, noDisputed)
		if err != nil {
			return err
		}
	}
	if p != end.at || source != end.source || str != end.str {
		return errMoved
	}
	return nil
}

// positions reads n positions from b (4n bytes) that must be a permutation
// of 0..n-1.
func positions(b []byte, n int) ([]int32, error) {
	if n == 0 {
		return nil, nil // as dateOrder gives for no incidents
	}
	out := make([]int32, n)
	seen := make([]uint64, (n+63)/64)
	for i := range out {
		p := binary.LittleEndian.Uint32(b[4*i:])
		if p >= uint32(n) || seen[p/64]&(1<<(p%64)) != 0 {
			return nil, fmt.Errorf("%w: its orders are not permutations", errSnapshot)
		}
		seen[p/64] |= 1 << (p % 64)
		out[i] = int32(p)
	}
	return out, nil
}

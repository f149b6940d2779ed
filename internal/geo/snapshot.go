package geo

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
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
		inc := &d.Incidents[i]
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
		inc := &d.Incidents[i]
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
		inc := &d.Incidents[i]
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

// snapshotReader reads a snapshot's records.
type snapshotReader struct {
	r    *bufio.Reader
	text string
	err  error
}

// next returns the next n bytes, valid until the next call.
func (s *snapshotReader) next(n int) []byte {
	if s.err != nil {
		return nil
	}
	b, err := s.r.Peek(n)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: it ends early", errSnapshot)
		}
		s.err = err
		return nil
	}
	s.r.Discard(n)
	return b
}

// str reads the string whose reference starts b.
func (s *snapshotReader) str(b []byte) string {
	if len(b) < strRefSize {
		return "" // s.err says why
	}
	off, n := uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[4:]))
	if off+n > uint64(len(s.text)) {
		if s.err == nil {
			s.err = fmt.Errorf("%w: a string lies outside its text", errSnapshot)
		}
		return ""
	}
	return s.text[off : off+n]
}

// list reads a list's length (and whether it is nil) from b.
func list(b []byte) (n int, isNil bool) {
	v := binary.LittleEndian.Uint32(b)
	if v == 0 {
		return 0, true
	}
	return int(v - 1), false
}

// ReadSnapshot reads a snapshot that WriteSnapshot wrote, of size bytes at
// most, and returns its dataset, indexed as LoadCore's. A snapshot of
// another format or one that does not hold together is an error.
func ReadSnapshot(r io.Reader, size int64) (*Dataset, error) {
	le := binary.LittleEndian
	// The buffer holds the longest run next reads (positions: 16 KiB).
	s := &snapshotReader{r: bufio.NewReaderSize(r, int(min(max(size, 32<<10), 1<<20)))}
	head := s.next(headerSize)
	if s.err != nil {
		return nil, s.err
	}
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
		c.text > math.MaxUint32 || need > uint64(size) {
		return nil, fmt.Errorf("%w: its header counts more than its %d bytes hold", errSnapshot, size)
	}
	version := string(s.next(int(c.version)))
	if s.err != nil {
		return nil, s.err
	}
	var text strings.Builder
	text.Grow(int(c.text))
	if _, err := io.CopyN(&text, s.r, int64(c.text)); err != nil {
		return nil, fmt.Errorf("%w: its text ends early", errSnapshot)
	}
	s.text = text.String()

	strs := make([]string, c.strs)
	takeStrs := func(n int, isNil bool) []string {
		if isNil {
			return nil
		}
		if n > len(strs) {
			if s.err == nil {
				s.err = fmt.Errorf("%w: more strings in lists than its header counts", errSnapshot)
			}
			return nil
		}
		out := strs[:n:n]
		strs = strs[n:]
		for k := range out {
			out[k] = s.str(s.next(strRefSize))
		}
		return out
	}
	point := func(b []byte) [2]float64 {
		return [2]float64{math.Float64frombits(le.Uint64(b)), math.Float64frombits(le.Uint64(b[8:]))}
	}

	d := &Dataset{Version: version, Bases: make([]Base, c.bases), baseByID: make(map[string]int, c.bases)}
	for i := range d.Bases {
		b := s.next(baseSize)
		if s.err != nil {
			return nil, s.err
		}
		var f [baseFields]string
		for k := range f {
			f[k] = s.str(b[k*strRefSize:])
		}
		base := &d.Bases[i]
		*base = Base{ID: f[0], Name: f[1], ShortName: f[2], Country: f[3], Admin1: f[4], Kind: BaseKind(f[5]),
			ICAO: f[6], IATA: f[7], CoordSource: f[8], CoordURL: f[9], Notes: f[10], Point: point(b[baseFields*strRefSize:])}
		base.Aliases = takeStrs(list(b[baseFields*strRefSize+16:]))
		d.baseByID[base.ID] = i
	}

	d.Incidents = make([]Incident, c.incidents)
	sources := make([]Source, c.sources)
	for i := range d.Incidents {
		b := s.next(incidentSize)
		if s.err != nil {
			return nil, s.err
		}
		inc := &d.Incidents[i]
		inc.ID = s.str(b)
		inc.Point = point(b[8:])
		b = b[24:]
		inc.Date, inc.DateEnd = Date(le.Uint32(b)), Date(le.Uint32(b[4:]))
		inc.Count, inc.Injured, inc.Killed = Number{int32(le.Uint32(b[8:]))}, Number{int32(le.Uint32(b[12:]))}, Number{int32(le.Uint32(b[16:]))}
		inc.Weapon, inc.Status, inc.LocationPrecision = Weapon(b[20]), Status(b[21]), Precision(b[22])
		b = b[24:]
		inc.Base, inc.Outcome, inc.Notes = s.str(b), s.str(b[8:]), s.str(b[16:])
		b = b[24:]
		nSources, noSources := list(b)
		nClaimed, noClaimed := list(b[4:])
		nDisputed, noDisputed := list(b[8:])
		if int(inc.Weapon) >= len(weaponWords) || inc.Weapon == 0 || int(inc.Status) >= len(statusWords) || inc.Status == 0 ||
			int(inc.LocationPrecision) >= len(precisionWords) || inc.LocationPrecision == 0 || inc.DateEnd < inc.Date ||
			inc.Count.n < 0 || inc.Injured.n < 0 || inc.Killed.n < 0 {
			return nil, fmt.Errorf("%w: incident %d holds a value out of range", errSnapshot, i)
		}
		if !noSources {
			if nSources > len(sources) {
				return nil, fmt.Errorf("%w: more sources than its header counts", errSnapshot)
			}
			inc.Sources = sources[:nSources:nSources]
			sources = sources[nSources:]
			for k := range inc.Sources {
				b := s.next(sourceSize)
				if s.err != nil {
					return nil, s.err
				}
				src := &inc.Sources[k]
				src.Publisher, src.URL, src.Says = s.str(b), s.str(b[8:]), s.str(b[16:])
				src.Published = MaybeDate{int32(le.Uint32(b[24:]))}
				src.Kind = SourceKind(b[28])
				if src.Kind == 0 || int(src.Kind) >= len(sourceKindWords) {
					return nil, fmt.Errorf("%w: incident %d has a source of no known kind", errSnapshot, i)
				}
			}
		}
		inc.ClaimedBy = takeStrs(nClaimed, noClaimed)
		inc.Disputed = takeStrs(nDisputed, noDisputed)
		if s.err != nil {
			return nil, s.err
		}
	}
	if len(sources) != 0 || len(strs) != 0 {
		return nil, fmt.Errorf("%w: fewer sources or strings than its header counts", errSnapshot)
	}
	// The index is built on the other core while the orders are read.
	indexed := make(chan index, 1)
	go func() { indexed <- buildIndex(d.Incidents) }()
	d.filePos = s.positions(len(d.Incidents))
	d.byID = s.positions(len(d.Incidents))
	if d.byID == nil {
		d.byID = []int32{} // as newDataset makes it
	}
	d.index = <-indexed
	if s.err != nil {
		return nil, s.err
	}
	d.whole = sync.OnceValue(d.countWhole)
	return d, nil
}

// positions reads n positions that must be a permutation of 0..n-1.
func (s *snapshotReader) positions(n int) []int32 {
	if n == 0 {
		return nil // as dateOrder gives for no incidents
	}
	out := make([]int32, n)
	seen := make([]uint64, (n+63)/64)
	for i := 0; i < n && s.err == nil; {
		k := min(n-i, 1<<12)
		b := s.next(4 * k)
		if b == nil { // s.err says why
			return nil
		}
		for j := range k {
			p := binary.LittleEndian.Uint32(b[4*j:])
			if p >= uint32(n) || seen[p/64]&(1<<(p%64)) != 0 {
				s.err = fmt.Errorf("%w: its orders are not permutations", errSnapshot)
				return nil
			}
			seen[p/64] |= 1 << (p % 64)
			out[i+j] = int32(p)
		}
		i += k
	}
	return out
}

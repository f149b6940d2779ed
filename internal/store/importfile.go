package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// errNotLines says that a file that began as one laid out one feature a
// line turned out not to be: Import then reads it whole.
var errNotLines = errors.New("not laid out one feature a line")

// importFile is a data file being imported: what surrounds its array and
// its layout, known before its rows are read, and its rows, either split
// from the file read whole (elements) or read line by line (lines).
type importFile struct {
	name string
	splitFile
	lines *bufio.Reader // nil when the file was read whole
	file  fs.File
}

// streamAbove is the size above which a file laid out one feature a line
// is streamed rather than read whole: the shipped files (a few hundred KB)
// are read whole, as are small test files.
const streamAbove = 1 << 20

// openImportFile opens a data file of fsys for Import. A large file laid
// out one feature a line (its first line the compact JSON up to the
// array's "[", its last the compact JSON after "]") is streamed when stream
// is set; any other file is read whole and split.
func openImportFile(fsys fs.FS, name string, stream bool) (*importFile, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if stream {
		if sf, ok := linesLayout(f); ok {
			if _, err := f.(io.Seeker).Seek(0, io.SeekStart); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return &importFile{name: name, splitFile: *sf, lines: bufio.NewReaderSize(f, 1<<20), file: f}, nil
		}
		if _, ok := f.(io.Seeker); ok {
			if _, err := f.(io.Seeker).Seek(0, io.SeekStart); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	raw, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	sf, err := split(name, raw)
	if err != nil {
		return nil, err
	}
	return &importFile{name: name, splitFile: *sf}, nil
}

// linesLayout reads a file's first line and, seeking, its last, and says
// whether the file may be laid out one feature a line; the lines between
// are checked as they are read (each).
func linesLayout(f fs.File) (*splitFile, bool) {
	info, err := f.Stat()
	if err != nil || info.Size() < streamAbove {
		return nil, false
	}
	ra, ok := f.(io.ReaderAt)
	if _, seeks := f.(io.Seeker); !ok || !seeks {
		return nil, false
	}
	first, err := bufio.NewReaderSize(f, 64<<10).ReadSlice('\n')
	if err != nil {
		return nil, false
	}
	head := bytes.TrimSuffix(first, []byte("\n"))
	end := make([]byte, min(info.Size(), 64<<10))
	if _, err := ra.ReadAt(end, info.Size()-int64(len(end))); err != nil && !errors.Is(err, io.EOF) {
		return nil, false
	}
	finalNL := bytes.HasSuffix(end, []byte("\n"))
	end = bytes.TrimSuffix(end, []byte("\n"))
	i := bytes.LastIndexByte(end, '\n')
	if i < 0 {
		return nil, false
	}
	tail := end[i+1:]
	// head and tail must be the compact document around an empty array
	// that is its first member holding an array, as split finds it.
	doc := append(append([]byte{}, head...), tail...)
	var c bytes.Buffer
	if json.Compact(&c, doc) != nil || !bytes.Equal(c.Bytes(), doc) {
		return nil, false
	}
	open, close, elems, err := topArray(doc)
	if err != nil || open != len(head)-1 || close != len(head) || len(elems) != 0 {
		return nil, false
	}
	return &splitFile{head: string(head), tail: string(tail), layout: fileLayout{Layout: "lines", FinalNewline: finalNL}}, true
}

// each calls fn with each row of the file in order. A streamed file that
// is not laid out one feature a line after all gives errNotLines.
func (f *importFile) each(fn func(i int, r feature) error) error {
	if f.lines == nil {
		rows, err := featureRows(f.name, f.elements)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if err := fn(i, r); err != nil {
				return err
			}
		}
		return nil
	}
	// The head, checked when the file was opened.
	if _, err := f.readLine(); err != nil {
		return err
	}
	var c bytes.Buffer
	more := true // a row or the tail follows
	for i := 0; ; i++ {
		line, err := f.readLine()
		if err != nil {
			return err
		}
		if !more || len(line) == 0 || line[0] != '{' {
			// The tail: it must be the last line, as opened.
			if string(line) != f.tail {
				return fmt.Errorf("%s: line %d: %w", f.name, i+2, errNotLines)
			}
			if _, err := f.lines.ReadByte(); errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("%s: after the last line: %w", f.name, errNotLines)
		}
		elem, comma := bytes.CutSuffix(line, []byte(","))
		more = comma
		c.Reset()
		if json.Compact(&c, elem) != nil || !bytes.Equal(c.Bytes(), elem) {
			return fmt.Errorf("%s: line %d: %w", f.name, i+2, errNotLines)
		}
		r, err := featureRow(f.name, i, elem) // the writer copies what it keeps
		if err != nil {
			return err
		}
		if err := fn(i, r); err != nil {
			return err
		}
	}
}

// readLine reads the next line without its newline; the last line of a
// file without a final newline is read without one too.
func (f *importFile) readLine() ([]byte, error) {
	line, err := f.lines.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := bytes.Clone(line)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = f.lines.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if errors.Is(err, io.EOF) && len(line) > 0 {
		// The file's last line, without a final newline: put nothing
		// back; the caller sees EOF next.
		return line, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.name, err)
	}
	return line[:len(line)-1], nil
}

// close closes a streamed file.
func (f *importFile) close() {
	if f.file != nil {
		f.file.Close()
	}
}

package mapfault

import (
	"errors"
	"testing"
)

type memFault struct{}

func (memFault) Error() string { return "fault" }
func (memFault) Addr() uintptr { return 0x40 }
func (memFault) RuntimeError() {}

// A memory fault becomes the error; any other panic goes on.
func TestRecover(t *testing.T) {
	read := func(p any) (err error) {
		defer Recover(&err, func(addr uintptr) error {
			if addr != 0x40 {
				t.Errorf("address %#x", addr)
			}
			return errors.New("cut short")
		})
		panic(p)
	}
	if err := read(memFault{}); err == nil || err.Error() != "cut short" {
		t.Fatalf("a fault gave %v", err)
	}
	defer func() {
		if r := recover(); r != "other" {
			t.Fatalf("another panic became %v", r)
		}
	}()
	read("other")
	t.Fatal("another panic was swallowed")
}

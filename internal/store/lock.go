package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

const lockFile = "escale.lock"

// Lock is a process's hold on a data directory: only one process at a time
// writes to a catalog and an index. The operating system releases it when the
// process ends, even by kill -9.
type Lock struct {
	f *os.File
}

// Acquire takes the data directory dir for this process and writes holder
// (for instance the address a server listens on) into the lock file so that
// others can say who holds it. When another process holds it, Acquire returns
// an error wrapping ErrLocked, and Holder tells what that process wrote.
func Acquire(dir, holder string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("store: lock %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("store: lock %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(holder+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// SetHolder replaces what the lock file says about its holder (a server
// knows its address only once it listens).
func (l *Lock) SetHolder(holder string) {
	if l == nil || l.f == nil {
		return
	}
	if err := l.f.Truncate(0); err == nil {
		l.f.WriteAt([]byte(holder+"\n"), 0)
	}
}

// Release gives the directory back.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing releases the flock
	l.f = nil
	return err
}

// Holder returns what the holder of dir's lock wrote about itself, or "".
func Holder(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, lockFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

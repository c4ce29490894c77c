//go:build !linux

package worker

import (
	"errors"
	"os"
)

func setDataLimit(int64) {}

func residentBytes(int) (int64, error) { return 0, errors.ErrUnsupported }

func peakResident(interface{ SysUsage() any }) int64 { return 0 }

func selfExecutable() (string, error) { return os.Executable() }

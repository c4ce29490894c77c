//go:build !linux

package ocr

import "os/exec"

// isolate does nothing here: the context still kills Tesseract.
func isolate(cmd *exec.Cmd) {}

// limitMemory does nothing here: the timeout still bounds Tesseract.
func limitMemory(pid int, limit int64) {}

package worker

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// child is one worker process and the pipes to it.
type child struct {
	cmd    *exec.Cmd
	pid    int
	stdin  *os.File      // requests
	stdout *os.File      // responses, and whatever a library prints
	out    *bufio.Reader // over stdout
	stderr *tailBuffer
	served int64 // files sent to it; the last one's request number

	exited  chan struct{} // closed once the process is reaped
	waitErr error         // set before exited is closed

	timer *time.Timer // while it waits for a file: its expiry
}

// start starts a child. Its pipes are the Runner's own, not exec's: exec
// would close stdout when the process ends, losing an answer written just
// before, and the child is reaped by a goroutine of its own.
func (r *Runner) start() (*child, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("worker: start %s: %w", r.exe, err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("worker: start %s: %w", r.exe, err)
	}
	cmd := exec.Command(r.exe, r.args...)
	cmd.Env = childEnv(os.Environ())
	cmd.Stdin, cmd.Stdout = inR, outW
	c := &child{cmd: cmd, stdin: inW, stdout: outR, out: bufio.NewReaderSize(outR, 64<<10),
		stderr: &tailBuffer{max: 16 << 10}, exited: make(chan struct{})}
	cmd.Stderr = c.stderr
	ownGroup(cmd)
	cmd.WaitDelay = time.Second // a grandchild holding stderr must not hold us
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("worker: start %s: %w", r.exe, err)
	}
	c.pid = cmd.Process.Pid
	go func() {
		c.waitErr = cmd.Wait()
		_ = killGroup(c.pid) // whatever the child left behind
		close(c.exited)
	}()
	return c, nil
}

// frame is what reading a child's answer gave.
type frame struct {
	resp     *response // nil: none
	overflow bool      // more than the cap came out first
	err      error     // the pipe's end or failure, when resp is nil
}

// read reads lines from the child's stdout until the answer to request seq,
// skipping what libraries print, and stops at max bytes.
func (c *child) read(seq int64, max int64) frame {
	var line []byte
	var n int64
	for {
		chunk, err := c.out.ReadSlice('\n')
		n += int64(len(chunk))
		if n > max {
			return frame{overflow: true}
		}
		line = append(line, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return frame{err: err}
		}
		if resp, ok := decodeLine(line, seq); ok {
			return frame{resp: &resp}
		}
		line = line[:0]
	}
}
